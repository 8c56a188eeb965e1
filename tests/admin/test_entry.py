"""An editor enters lawsuits entirely through the admin, the way they would by hand: every step is a POST of the
admin's own forms (with their inline formsets), nothing is created behind the admin's back."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from disputes import models as m

pytestmark = pytest.mark.django_db

MANAGEMENT = re.compile(
    r'name="([^"]+)-(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)" value="(\d*)"'
)


class Editor:
    """Fills in admin pages: reads each add page's inline management forms, posts the form, follows nothing."""

    def __init__(self, client):
        self.client = client

    def url(self, model, action="add", *args, **query) -> str:
        url = reverse(f"admin:disputes_{model._meta.model_name}_{action}", args=args)
        return f"{url}?{urlencode(query)}" if query else url

    def post(self, model, data: dict, *, inlines: dict | None = None, query: dict | None = None, obj=None):
        url = self.url(model, "change", obj.pk) if obj else self.url(model, "add", **(query or {}))
        page = self.client.get(url)
        assert page.status_code == 200, url
        form = {}
        for prefix, kind, value in MANAGEMENT.findall(page.content.decode()):
            form[f"{prefix}-{kind}"] = value or "0"
        for prefix, rows in (inlines or {}).items():
            assert f"{prefix}-TOTAL_FORMS" in form, f"no inline {prefix} on {url}"
            initial = int(form[f"{prefix}-INITIAL_FORMS"])
            form[f"{prefix}-TOTAL_FORMS"] = str(initial + len(rows))
            for number, row in enumerate(rows, start=initial):
                for name, value in row.items():
                    form[f"{prefix}-{number}-{name}"] = value
        for name, value in data.items():
            form[name] = value
        return self.client.post(url, form)

    def add(self, model, data: dict, **kwargs):
        response = self.post(model, data, **kwargs)
        if response.status_code != 302:
            errors = re.findall(
                r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
            )
            raise AssertionError(f"{model.__name__} not saved: {errors}")
        return response


REPORTED = "disputes-reporteddate-content_type-object_id"


def _organization(editor, **fields):
    data = {"timezone": "UTC", "country": "", "court_level": "", **fields}
    editor.add(m.Organization, data)
    return m.Organization.objects.get(slug=fields["slug"])


def _person(editor, name):
    editor.add(m.Person, {"name": name})
    return m.Person.objects.get(name=name)


def _dispute(editor, title, slug):
    editor.add(m.Dispute, {"title": title, "slug": slug, "stage": "litigation"})
    return m.Dispute.objects.get(slug=slug)


def test_a_lawsuit_with_court_docket_judge_people_ruling_per_claim_and_a_reported_appeal(admin_client_logged):
    editor = Editor(admin_client_logged)
    editor.add(m.Jurisdiction, {"code": "US", "name": "United States", "name_ja": "米国"})
    court = _organization(
        editor,
        kind="court",
        name="U.S. District Court for the Northern District of California",
        short_name="N.D. Cal.",
        slug="ndcal",
        country="US",
        court_level="trial",
        jurisdiction="US",
        timezone="America/Los_Angeles",
    )
    appeals_court = _organization(
        editor,
        kind="court",
        name="U.S. Court of Appeals for the Ninth Circuit",
        slug="ninth-circuit",
        court_level="appellate",
        jurisdiction="US",
    )
    anthropic = _organization(editor, kind="ai_developer", name="Anthropic PBC", slug="anthropic")
    alsup = _person(editor, "William Alsup")
    bartz, graeber = _person(editor, "Andrea Bartz"), _person(editor, "Charles Graeber")
    dispute = _dispute(editor, "Bartz et al. v. Anthropic", "bartz-v-anthropic")
    copyright_claim = m.CauseOfAction.objects.get(
        slug="copyright-infringement"
    )  # the list the migration seeds

    # An editor extends the controlled list.
    editor.add(m.CauseOfAction, {"slug": "piracy-library", "name": "Copying into a central library"})
    library_claim = m.CauseOfAction.objects.get(slug="piracy-library")

    # The proceeding, added from the dispute's page: the dispute is filled in and saving comes back there.
    dispute_page = reverse("admin:disputes_dispute_change", args=[dispute.pk])
    assert "Add a proceeding" in admin_client_logged.get(dispute_page).content.decode()
    response = editor.add(
        m.Proceeding,
        {
            "dispute": dispute.pk,
            "kind": "class_action",
            "title": "Bartz v. Anthropic PBC",
            "forum": court.pk,
            "filed_on": "2024-08-19",
            "filed_precision": "day",
            "closed_precision": "day",
            "status": "pending",
            "disposition": "",
        },
        query={"dispute": dispute.pk, "_return_to": dispute_page},
        inlines={
            "dockets": [{"number": "3:24-cv-05417-WHA", "courtlistener_id": "69058235"}],
            "judge_links": [{"person": alsup.pk, "role": "presiding"}],
            "parties": [
                {"role": "class_representative", "person": bartz.pk},
                {"role": "class_representative", "person": graeber.pk},
                {"role": "class", "class_description": "Authors of books downloaded from LibGen and PiLiMi"},
                {"role": "defendant", "organization": anthropic.pk},
            ],
            "claims": [{"cause": copyright_claim.pk}, {"cause": library_claim.pk}],
        },
    )
    assert response["Location"] == dispute_page
    proceeding = m.Proceeding.objects.get(title="Bartz v. Anthropic PBC")
    assert proceeding.dispute == dispute and proceeding.forum == court
    assert proceeding.dockets.get().courtlistener_url == "https://www.courtlistener.com/docket/69058235/"
    assert list(proceeding.judges.all()) == [alsup]
    assert {p.person for p in proceeding.parties.filter(role="class_representative")} == {bartz, graeber}

    # A ruling with its outcome per claim, added from the proceeding's page.
    proceeding_page = reverse("admin:disputes_proceeding_change", args=[proceeding.pk])
    claims = {c.cause_id: c for c in proceeding.claims.all()}
    ruling_add = admin_client_logged.get(editor.url(m.Ruling, proceeding=proceeding.pk)).content.decode()
    assert "Copying into a central library" in ruling_add  # only the proceeding's claims are offered
    editor.add(
        m.Ruling,
        {
            "proceeding": proceeding.pk,
            "decided_on": "2025-06-23",
            "decided_precision": "day",
            "kind": "summary_judgment",
            "title": "Order on fair use",
            "judges": [alsup.pk],
        },
        query={"proceeding": proceeding.pk, "_return_to": proceeding_page},
        inlines={
            "outcomes": [
                {
                    "claim": claims[copyright_claim.pk].pk,
                    "outcome": "rejected",
                    "note": "training is fair use",
                },
                {"claim": claims[library_claim.pk].pk, "outcome": "survives", "note": "goes to trial"},
            ]
        },
    )
    ruling = proceeding.rulings.get()
    assert {o.claim.cause.slug: o.outcome for o in ruling.outcomes.all()} == {
        "copyright-infringement": "rejected",
        "piracy-library": "survives",
    }

    # A reported appeal: a proceeding in the appellate court whose appeal_of is the first one.
    editor.add(
        m.Proceeding,
        {
            "dispute": dispute.pk,
            "kind": "appeal",
            "title": "Bartz v. Anthropic (appeal)",
            "forum": appeals_court.pk,
            "appeal_of": proceeding.pk,
            "filed_precision": "day",
            "closed_precision": "day",
            "status": "announced",
            "disposition": "",
            "status_note": "reported, not confirmed filed",
        },
        query={"dispute": dispute.pk, "appeal_of": proceeding.pk, "kind": "appeal"},
    )
    appeal = m.Proceeding.objects.get(title="Bartz v. Anthropic (appeal)")
    assert appeal.appeal_of == proceeding and list(proceeding.appeals.all()) == [appeal]

    # The dispute's page shows it all.
    page = admin_client_logged.get(dispute.get_absolute_url()).content.decode()
    for text in (
        "Bartz v. Anthropic PBC",
        "3:24-cv-05417-WHA",
        "William Alsup",
        "Andrea Bartz",
        "Order on fair use",
    ):
        assert text in page
    assert "appeal of Bartz v. Anthropic PBC" in page


def test_a_suit_by_three_companies_of_one_group_with_an_amount_and_a_disputed_period(admin_client_logged):
    editor = Editor(admin_client_logged)
    group = _organization(editor, kind="rights_holder", name="Yomiuri Shimbun Group", slug="yomiuri-group")
    companies = [
        _organization(editor, kind="rights_holder", name=name, slug=slug, parent=group.pk, country="JP")
        for name, slug in [
            ("Yomiuri Shimbun Holdings", "yomiuri-holdings"),
            ("Yomiuri Shimbun Tokyo Head Office", "yomiuri-tokyo"),
            ("Yomiuri Shimbun Osaka Head Office", "yomiuri-osaka"),
        ]
    ]
    defendant = _organization(editor, kind="ai_developer", name="Perplexity AI", slug="perplexity")
    court = _organization(
        editor, kind="court", name="Tokyo District Court", slug="tokyo-district", court_level="trial"
    )
    for url, title in [("https://example.jp/a", "Report A"), ("https://example.jp/b", "Report B")]:
        editor.add(m.Source, {"url": url, "title": title, "reliability": "secondary"})
    report_a, report_b = m.Source.objects.get(title="Report A"), m.Source.objects.get(title="Report B")
    dispute = _dispute(editor, "Yomiuri v. Perplexity", "yomiuri-v-perplexity")
    editor.add(
        m.Proceeding,
        {
            "dispute": dispute.pk,
            "kind": "lawsuit",
            "title": "Yomiuri v. Perplexity",
            "forum": court.pk,
            "filed_on": "2025-08-07",
            "filed_precision": "day",
            "closed_precision": "day",
            "status": "pending",
            "disposition": "",
        },
        inlines={
            "parties": [{"role": "plaintiff", "organization": c.pk} for c in companies]
            + [{"role": "defendant", "organization": defendant.pk}]
        },
    )
    proceeding = m.Proceeding.objects.get(title="Yomiuri v. Perplexity")
    dispute_page = reverse("admin:disputes_dispute_change", args=[dispute.pk])
    response = editor.add(
        m.Amount,
        {
            "dispute": dispute.pk,
            "proceeding": proceeding.pk,
            "kind": "claimed",
            "status": "claimed",
            "currency": "JPY",
            "value": "2168000000",
            "basis": "¥ per article × articles copied",
            "basis_ja": "記事1本あたりの額 × 複製された記事数",
            "period_start": "2025-02-14",  # typed mid-month with month precision: saved as February
            "period_start_precision": "month",
            "period_end": "2025-06-01",
            "period_end_precision": "month",
            "sources": [report_a.pk, report_b.pk],
        },
        query={"dispute": dispute.pk, "_return_to": dispute_page},
        inlines={
            REPORTED: [
                {"field": "period_start", "date": "2025-02-01", "precision": "month", "source": report_a.pk},
                {"field": "period_start", "date": "2025-03-01", "precision": "month", "source": report_b.pk},
            ]
        },
    )
    assert response["Location"] == dispute_page
    amount = m.Amount.objects.get()
    assert amount.period_start.isoformat() == "2025-02-01"
    assert amount.display_period == "2025-02 – 2025-06"
    assert {r.date.month for r in amount.reported_dates.all()} == {2, 3}
    page = admin_client_logged.get(dispute.get_absolute_url()).content.decode()
    assert "¥2,168,000,000" in page and "¥ per article × articles copied" in page
    assert "Feb 2025 – Jun 2025" in page and "Disputed" in page
    assert {p.organization.parent_id for p in proceeding.parties.filter(role="plaintiff")} == {group.pk}


def test_a_reported_date_field_is_chosen_not_typed(admin_client_logged):
    editor = Editor(admin_client_logged)
    dispute = _dispute(editor, "A dispute", "a-dispute")
    source = m.Source.objects.create(url="https://example.org/x", title="X")
    response = editor.post(
        m.Amount,
        {
            "dispute": dispute.pk,
            "kind": "claimed",
            "status": "claimed",
            "currency": "USD",
            "value": "1",
            "period_start_precision": "day",
            "period_end_precision": "day",
        },
        inlines={
            REPORTED: [{"field": "sent_on", "date": "2025-02-01", "precision": "day", "source": source.pk}]
        },
    )
    assert response.status_code == 200
    assert "has no date “sent_on”" in response.content.decode()
    assert not m.Amount.objects.exists()


def test_a_pasted_value_that_is_too_long_gets_a_message_not_truncation(admin_client_logged):
    editor = Editor(admin_client_logged)
    dispute = _dispute(editor, "A dispute", "a-dispute")
    add_page = admin_client_logged.get(editor.url(m.Proceeding)).content.decode()
    assert 'maxlength="300"' not in add_page  # the browser would cut a paste silently
    response = editor.post(
        m.Proceeding,
        {
            "dispute": dispute.pk,
            "kind": "lawsuit",
            "title": "x" * 412,
            "status": "pending",
            "disposition": "",
            "filed_precision": "day",
            "closed_precision": "day",
        },
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 300 characters (it has 412)." in response.content.decode()
    assert not m.Proceeding.objects.exists()


def test_a_mid_month_day_with_month_precision_is_saved_as_the_month(admin_client_logged):
    editor = Editor(admin_client_logged)
    dispute = _dispute(editor, "A dispute", "a-dispute")
    editor.add(
        m.Event,
        {
            "disputes": [dispute.pk],
            "kind": "statement",
            "title": "Reaction",
            "date": "2025-11-19",
            "date_precision": "month",
            "date_qualifier": "exact",
            "date_end_precision": "day",
        },
        query={"disputes": dispute.pk},
    )
    event = m.Event.objects.get(title="Reaction")
    assert event.date.isoformat() == "2025-11-01" and event.display_date == "2025-11"
