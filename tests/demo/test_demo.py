"""``load_demo`` and ``ensure_demo_admin``: the demo data is complete, faithful to the reference, and safe to reload."""

import datetime as dt
import re
import stat

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from disputes.core.deadlines import policy_deadline
from disputes.demo import CODA_DISPUTE_SLUG
from disputes.demo.loader import REPORTED_MODELS
from disputes.models import (
    AIProduct,
    DemandLetter,
    Dispute,
    Event,
    Follow,
    Membership,
    Organization,
    Person,
    Reliability,
    ReportedDate,
    Response,
    Source,
    disputed_fields,
)
from tests.demo.commands import counts, printed_password, run
from tests.sqlite_template import loaded_once_per_process

pytestmark = pytest.mark.django_db

DISPUTE_SLUGS = {
    "coda-v-openai-sora-2": "letter_sent",
    "japan-government-openai-sora-2": "in_dialogue",
    "hollywood-v-openai-sora-2": "in_dialogue",
    "disney-v-google": "letter_sent",
    "disney-v-character-ai": "closed",
    "nyt-v-microsoft-openai": "litigation",
    "authors-guild-v-openai": "litigation",
    "getty-v-stability-ai": "litigation",
    "andersen-v-stability-ai": "litigation",
    "disney-universal-v-midjourney": "litigation",
    "bartz-v-anthropic": "settled",
    "kadrey-v-meta": "litigation",
    "thomson-reuters-v-ross": "litigation",
    "labels-v-suno-udio": "litigation",
}

CODA_DEMANDS = [
    (
        "Sora 2の運用において、CODA会員社のコンテンツを無許諾で学習対象としないこと",
        "In the operation of Sora 2, CODA requests that its members' content is not used for machine learning "
        "without their permission; and,",
    ),
    (
        "Sora 2の生成物に関連する著作権侵害についてのCODA会員社からの申立て・相談に真摯に対応すること",
        "OpenAI responds sincerely to claims and inquiries from CODA member companies regarding copyright "
        "infringement related to Sora 2's outputs.",
    ),
]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for this module (every test here reads it), and gone after its last test.

    Each test still runs in its own transaction (pytest-django's ``django_db``), so what one test writes, another
    does not see. Loading takes a second; on the SQLite test database it is done once per test process and copied
    in for the next module or class that needs it (``sqlite_template.loaded_once_per_process``), elsewhere inside a
    transaction rolled back after the module.
    """
    with django_db_blocker.unblock(), loaded_once_per_process("demo", lambda: run("load_demo")) as output:
        yield output


def coda_letter() -> DemandLetter:
    return DemandLetter.objects.get(dispute__slug=CODA_DISPUTE_SLUG, kind="request")


def reported(record, field="date") -> set[dt.date]:
    return {r.date for r in record.reported_dates.filter(field=field)}


# --- Complete and faithful ------------------------------------------------------------------------------------------


class TestLoadedDemoIsComplete:
    """Everything in the reference is loaded, as the reference gives it."""

    def test_every_dispute_is_loaded_with_its_stage_and_links(self, loaded):
        assert dict(Dispute.objects.values_list("slug", "stage")) == DISPUTE_SLUGS
        assert counts(loaded, "Dispute") == (14, 0)

        coda = Dispute.objects.get(slug=CODA_DISPUTE_SLUG)
        assert coda.status_note == "awaiting response (no public reply found)"
        assert set(coda.jurisdictions.values_list("code", flat=True)) == {"JP"}
        assert set(coda.products.values_list("slug", flat=True)) == {"sora-2", "sora-app"}
        assert set(coda.related.values_list("slug", flat=True)) == {
            "japan-government-openai-sora-2",
            "hollywood-v-openai-sora-2",
        }
        # Related disputes are symmetrical.
        nyt = Dispute.objects.get(slug="nyt-v-microsoft-openai")
        assert "authors-guild-v-openai" in set(nyt.related.values_list("slug", flat=True))
        google = Dispute.objects.get(slug="disney-v-google")
        assert "hollywood-v-openai-sora-2" in set(google.related.values_list("slug", flat=True))
        assert set(
            Dispute.objects.get(slug="getty-v-stability-ai").jurisdictions.values_list("code", flat=True)
        ) == {
            "GB",
            "US",
        }
        roles = set(coda.parties.values_list("organization__slug", "role"))
        assert {("coda", "claimant"), ("openai", "respondent"), ("ip-secretariat", "government")} <= roles
        assert ("studio-ghibli", "on_behalf_of") in roles

    def test_organizations_people_and_products(self, loaded):
        coda = Organization.objects.get(slug="coda")
        assert (coda.kind, coda.country, coda.timezone) == ("trade_association", "JP", "Asia/Tokyo")
        assert coda.name_original == "一般社団法人コンテンツ海外流通促進機構"
        assert "36 companies and 11 organisations" in coda.notes
        assert Organization.objects.get(slug="openai").timezone == "America/Los_Angeles"
        assert Organization.objects.get(slug="nyt").timezone == "America/New_York"
        assert Organization.objects.get(slug="stability-ai").timezone == "Europe/London"
        assert Organization.objects.get(slug="aniplex").parent.slug == "sony-music-japan"

        kiuchi = Person.objects.get(name="Minoru Kiuchi")
        assert kiuchi.name_original == "城内実"
        assert kiuchi.aliases.splitlines() == ["Minoru Jouchi", "木内稔"]
        assert {p.name_original for p in Person.objects.filter(name__in=["Kimi Onoda", "Ai Yawata"])} == {
            "小野田紀美",
            "八幡愛",
        }

        sora = AIProduct.objects.get(slug="sora-2")
        assert (sora.developer.slug, sora.modality, sora.launched_on) == (
            "openai",
            "video",
            dt.date(2025, 9, 30),
        )
        assert AIProduct.objects.get(slug="sora-app").url == "https://sora.chatgpt.com"
        launch_dates = ReportedDate.objects.filter(
            content_type=ContentType.objects.get_for_model(AIProduct), object_id=sora.pk
        )
        assert {r.date for r in disputed_fields(launch_dates)["launched_on"]} == {
            dt.date(2025, 9, 30),
            dt.date(2025, 10, 1),
        }

    def test_coda_letter_demands_deadline_and_absence_of_reply(self, loaded):
        letter = coda_letter()
        assert (letter.sender.slug, letter.recipient.slug, letter.title_original) == (
            "coda",
            "openai",
            "要望書",
        )
        assert (letter.dated_on, letter.sent_on, letter.announced_on) == (
            dt.date(2025, 10, 27),
            dt.date(2025, 10, 27),
            dt.date(2025, 10, 28),
        )
        assert letter.timezone == "Asia/Tokyo"
        assert letter.on_behalf_note == "at the request of its member companies (会員社からの要請に基づき)"
        assert set(letter.products.values_list("slug", flat=True)) == {"sora-2"}
        assert {"studio-ghibli", "bandai-namco", "square-enix"} <= set(
            letter.on_behalf_of.values_list("slug", flat=True)
        )
        assert [
            (d.number, d.text_original, d.text_en, d.status) for d in letter.demands.order_by("number")
        ] == [
            (1, *CODA_DEMANDS[0], "pending"),
            (2, *CODA_DEMANDS[1], "pending"),
        ]

        # CODA named no deadline: it comes from the configurable policy, and says so.
        assert letter.deadline_source == "policy"
        assert letter.response_deadline_on == policy_deadline(dt.date(2025, 10, 27), country="JP")
        assert letter.deadline_changes.get().new_on == letter.response_deadline_on
        assert letter.status == "open"
        assert list(DemandLetter.objects.overdue(at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))) == [letter]
        assert list(DemandLetter.objects.overdue(at=dt.datetime(2025, 10, 28, tzinfo=dt.UTC))) == []

        silence = letter.responses.get()
        assert (silence.responder.slug, silence.responded_on, silence.channel, silence.assessment) == (
            "openai",
            dt.date(2025, 11, 4),
            "none",
            "no_reply",
        )
        assert silence.assessed_at is not None
        assert {s.publisher for s in silence.sources.all()} == {"Particle"}
        assert {s.reliability for s in silence.sources.all()} == {Reliability.LOW}

        disputed = disputed_fields(letter.reported_dates.all())
        assert {r.date for r in disputed["sent_on"]} == {dt.date(2025, 10, 27), dt.date(2025, 10, 28)}
        assert {r.date for r in disputed["dated_on"]} == {dt.date(2025, 10, 27), dt.date(2025, 10, 28)}

    def test_coda_members_from_2025_coverage_and_the_2010_roster(self, loaded):
        members = Membership.objects.filter(association__slug="coda")
        assert {"Studio Ghibli", "Bandai Namco", "Square Enix"} <= set(
            members.values_list("member__name", flat=True)
        )

        aidx = members.filter(reported_on=dt.date(2025, 10, 30))
        assert aidx.count() == 9
        assert {s.publisher for m in aidx for s in m.sources.all()} == {"AIDX News"}

        roster = members.filter(reported_on=dt.date(2010, 11, 1))
        assert roster.count() == 28
        assert all("translation" in m.note for m in roster)
        assert {s.url for m in roster for s in m.sources.all()} == {
            "https://vdocuments.pub/coda-bunkagojp.html"
        }

        fromsoftware = members.get(member__slug="fromsoftware")
        assert "Loose" in fromsoftware.note
        assert fromsoftware.reported_precision == "year"

    def test_government_request_and_its_partial_answer(self, loaded):
        request = DemandLetter.objects.get(kind="government_request")
        assert request.dispute.slug == "japan-government-openai-sora-2"
        assert (request.sender.slug, request.recipient.slug, request.channel) == (
            "ip-secretariat",
            "openai",
            "call",
        )
        assert request.sent_on == dt.date(2025, 10, 6)
        assert request.status == "closed"

        answer = request.responses.get()
        assert (answer.responder.slug, answer.responded_on, answer.assessment) == (
            "openai",
            dt.date(2025, 10, 6),
            "partial",
        )
        assert answer.assessed_at is not None and answer.assessment_reason

    def test_other_letters_are_closed_and_answered_as_reported(self, loaded):
        # The Times' 2023 approach is one letter to OpenAI and Microsoft together.
        assert DemandLetter.objects.count() == 6
        nyt = DemandLetter.objects.get(dispute__slug="nyt-v-microsoft-openai")
        assert [org.slug for org in nyt.recipients] == ["openai", "microsoft"]
        assert set(DemandLetter.objects.open().values_list("dispute__slug", flat=True)) == {CODA_DISPUTE_SLUG}

        character_ai = DemandLetter.objects.get(dispute__slug="disney-v-character-ai")
        assert character_ai.sent_on == dt.date(2025, 9, 18)
        assert character_ai.responses.get().assessment == "sincere"
        assert character_ai.demands.get().status == "complied"

        google = DemandLetter.objects.get(dispute__slug="disney-v-google")
        assert google.sent_on == dt.date(2025, 12, 11)
        assert "approximate" in google.summary
        assert google.responses.get().assessment == "evasive"

        nyt = DemandLetter.objects.filter(dispute__slug="nyt-v-microsoft-openai")
        assert {(letter.sent_on, letter.date_precision) for letter in nyt} == {(dt.date(2023, 4, 1), "month")}
        assert {letter.status_note for letter in nyt} == {"superseded by the lawsuit filed 2023-12-27"}
        assert DemandLetter.objects.get(kind="letter_before_action").sent_on == dt.date(2023, 1, 16)

        assert all(r.assessed_at for r in Response.objects.exclude(assessment="not_assessed"))

    def test_events_disputed_dates_and_precision(self, loaded):
        launch = Event.objects.get(title="OpenAI launches Sora 2 and the Sora app")
        assert (launch.kind, launch.date) == ("launch", dt.date(2025, 9, 30))
        assert reported(launch) == {dt.date(2025, 9, 30), dt.date(2025, 10, 1)}
        assert "date" in disputed_fields(launch.reported_dates.all())

        # Altman's post predates CODA's letter, so it is an event shared by the CODA and Hollywood disputes.
        update = Event.objects.get(title="Sam Altman, “Sora update #1”")
        assert (update.kind, update.actor_person.name) == ("response", "Sam Altman")
        assert {"coda-v-openai-sora-2", "hollywood-v-openai-sora-2"} <= set(
            update.disputes.values_list("slug", flat=True)
        )
        assert reported(update) == {dt.date(2025, 10, 3), dt.date(2025, 10, 4)}
        assert "the remarkable creative output of Japan" in update.quote

        kiuchi = Event.objects.get(date=dt.date(2025, 10, 10), actor_person__name="Minoru Kiuchi")
        assert kiuchi.quote == "かけがえのない宝"

        for title, dates in [
            ("UMG and Udio settle and sign a licence", {(2025, 10, 29), (2025, 10, 30), (2025, 10, 26)}),
            (
                "Summary judgment: training is fair use, the pirated library is not",
                {(2025, 6, 23), (2025, 6, 24)},
            ),
            ("Authors Guild class action filed", {(2023, 9, 19), (2023, 9, 20)}),
            ("Midjourney's answer: fair use", {(2025, 8, 6), (2025, 8, 11)}),
            ("Motions to dismiss largely denied", {(2025, 3, 26), (2025, 4, 4)}),
            (
                "Joint statement: OpenAI tightens guardrails on likeness and voice",
                {(2025, 10, 20), (2025, 10, 21)},
            ),
            ("CAA: Sora exposes clients and their IP to significant risk", {(2025, 10, 7), (2025, 10, 8)}),
        ]:
            assert reported(Event.objects.get(title=title)) == {dt.date(*d) for d in dates}, title

        # A date known only to the month or the year is stored as its first day.
        partial = Event.objects.exclude(date_precision="day")
        assert (
            partial.filter(date_precision="month").exists() and partial.filter(date_precision="year").exists()
        )
        assert all(e.date.day == 1 and (e.date_precision == "month" or e.date.month == 1) for e in partial)

        hearing = Event.objects.get(title="Final-approval hearing reported (outcome not confirmed)")
        assert hearing.low_confidence and hearing.date_precision == "year"
        assert not Event.objects.get(
            title="Minister Kiuchi discloses the government's request to OpenAI"
        ).low_confidence

    def test_sources_reliability_and_every_record_cites_one(self, loaded):
        reliability = dict(Source.objects.values_list("url", "reliability"))
        by_domain = {
            "https://coda-cj.jp/news/2577": Reliability.PRIMARY,
            "https://www.shugiin.go.jp/internet/itdb_shitsumon.nsf/html/shitsumon/b219074.htm": Reliability.PRIMARY,
            "https://www.cao.go.jp/press/new_wave/20251003.html": Reliability.PRIMARY,
            "https://internet.watch.impress.co.jp/docs/news/2058695.html": Reliability.SECONDARY,
            "https://techjacksolutions.com/?p=52780": Reliability.LOW,
            "https://www.insoler.com/forum/topic/17628783753139.htm": Reliability.LOW,
        }
        for url, expected in by_domain.items():
            assert reliability[url] == expected, url
        assert all(
            reliability[url] == Reliability.LOW
            for url in reliability
            if "particle.news" in url or "makes.news" in url
        )
        coda_en = Source.objects.get(url="https://coda-cj.jp/en/news/817")
        assert (coda_en.publisher, coda_en.language) == ("CODA", "en")
        assert Source.objects.get(
            url="https://internet.watch.impress.co.jp/docs/news/2058695.html"
        ).publisher == ("Impress Watch")
        note = Source.objects.get(url="https://note.com/akihisa_shiozaki/n/n40ebca032aff")
        assert note.archive_url.startswith("https://megalodon.jp/ref/2025-1006-1930-48/")

        # Claims the primary sources do not support are kept as flagged sources, not as facts.
        tech_az = Source.objects.get(
            url="https://tech.az/en/posts/japan-demands-openai-remove-japanese-content-5997"
        )
        assert tech_az.reliability == Reliability.LOW and tech_az.notes.startswith("Unsupported claim")
        assert "木内稔" in Dispute.objects.get(slug=CODA_DISPUTE_SLUG).summary

        for model in (DemandLetter, Response, Event, Membership):
            assert model.objects.exists()
            assert not model.objects.annotate(n=Count("sources")).filter(n=0).exists(), model.__name__


# --- Safe to run again ------------------------------------------------------------------------------------------


def snapshot() -> dict:
    state = {}
    for model in REPORTED_MODELS:
        state[model.__name__] = model.objects.count()
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            state[f"{model.__name__}.updated_at"] = dict(model.objects.values_list("pk", "updated_at"))
        for m2m in model._meta.many_to_many:
            state[f"{model.__name__}.{m2m.name}"] = m2m.remote_field.through.objects.count()
        if hasattr(model, "history"):
            state[f"{model.__name__}.history"] = model.history.count()
    return state


class TestRunningItAgain:
    """A second run changes nothing, and only --update overwrites what an admin changed."""

    def test_second_run_changes_nothing(self, loaded):
        before = snapshot()
        assert before["Event"] > 50 and before["Event.disputes"] > before["Event"]

        output = run("load_demo")

        assert snapshot() == before
        for model in REPORTED_MODELS:
            assert counts(output, model.__name__) == (0, before[model.__name__]), model.__name__

    def test_admin_edit_survives_a_rerun_and_update_restores_it(self, loaded):
        coda = Dispute.objects.get(slug=CODA_DISPUTE_SLUG)
        demo_summary = coda.summary
        coda.summary = "Corrected by an admin."
        coda.save()
        letter = coda_letter()
        letter.status_note = "Chased by phone."
        letter.save()

        output = run("load_demo")

        assert Dispute.objects.get(slug=CODA_DISPUTE_SLUG).summary == "Corrected by an admin."
        assert coda_letter().status_note == "Chased by phone."
        assert counts(output, "Dispute") == (0, 14)

        output = run("load_demo", update=True)

        assert Dispute.objects.get(slug=CODA_DISPUTE_SLUG).summary == demo_summary
        assert coda_letter().status_note == "awaiting response (no public reply found)"
        assert counts(output, "Dispute") == (0, 13, 1)
        assert counts(output, "DemandLetter") == (0, 5, 1)
        assert counts(output, "Event") == (0, Event.objects.count(), 0)


# --- The demo admin -------------------------------------------------------------------------------------------------


class TestDemoAdmin:
    """The demo admin login, on top of the loaded demo."""

    def test_ensure_demo_admin_prints_a_working_login_and_keeps_it(self, loaded, settings, tmp_path, client):
        settings.VAR_DIR = tmp_path

        first = run("ensure_demo_admin")
        second = run("ensure_demo_admin")

        password = printed_password(first)
        assert printed_password(second) == password
        assert "Username:  admin" in first and "http://" in first and "/accounts/login/" in first
        assert client.login(username="admin", password=password)
        admin = get_user_model().objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        assert admin.email == "admin@localhost"  # reminders are emailed
        password_file = tmp_path / "demo-admin.txt"
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
        assert f"password={password}" in password_file.read_text()

        # Reminders need a recipient: the admin follows the CODA dispute and owns its letter.
        assert Follow.objects.filter(user=admin, dispute__slug=CODA_DISPUTE_SLUG).count() == 1
        assert coda_letter().owner == admin

        # The file is gone: a new password is set, stored and printed.
        password_file.unlink()
        third = printed_password(run("ensure_demo_admin"))
        assert third != password
        assert client.login(username="admin", password=third)
        assert not client.login(username="admin", password=password)
        assert f"password={third}" in password_file.read_text()


class TestProceedingsInTheDemo:
    def test_lawsuits_have_their_court_docket_judges_parties_claims_and_rulings(self, loaded):
        from disputes.models import Amount, Proceeding

        bartz = Proceeding.objects.get(title="Bartz v. Anthropic PBC")
        assert bartz.forum.slug == "ndcal" and bartz.forum.court_level == "trial"
        assert bartz.dockets.get().number == "3:24-cv-05417-WHA"
        assert [j.name for j in bartz.judges.all()] == ["William Alsup"]
        assert bartz.parties.filter(person__isnull=False, role="class_representative").count() == 3
        ruling = bartz.rulings.get(decided_on="2025-06-23")
        assert ruling.outcomes.get().outcome == "partly_upheld"
        assert ruling.event.proceeding == bartz
        appeal = Proceeding.objects.get(appeal_of__title__startswith="Thomson Reuters Enterprise Centre")
        assert appeal.forum.court_level == "appellate"
        settled = Amount.objects.get(kind="settled")
        assert settled.value == 1_500_000_000 and settled.currency == "USD" and settled.sources.exists()
        for proceeding in Proceeding.objects.all():
            assert proceeding.sources.exists(), proceeding

    def test_coda_case_reads_in_japanese(self, loaded):
        dispute = Dispute.objects.get(slug=CODA_DISPUTE_SLUG)
        letter = coda_letter()
        assert letter.title_ja and letter.summary_ja and letter.status_note_ja and letter.on_behalf_note_ja
        assert all(event.title_ja and event.summary_ja for event in dispute.events.all()), [
            e.title for e in dispute.events.all() if not (e.title_ja and e.summary_ja)
        ]
        assert all(party.note_ja for party in dispute.parties.exclude(note=""))
        response = letter.responses.get()
        assert response.title_ja and response.summary_ja and response.assessment_reason_ja


def test_ensure_demo_admin_can_keep_the_password_out_of_its_output(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    output = run("ensure_demo_admin", username="boss", password="docker-demo-pass", hide_password=True)
    assert "docker-demo-pass" not in output
    assert "not shown" in output
    assert client.login(username="boss", password="docker-demo-pass")


class TestJapaneseNamesInTheDemo:
    def test_japanese_organizations_have_their_japanese_names(self, loaded):
        from django.utils import translation

        expected = {
            "coda": "コンテンツ海外流通促進機構",
            "studio-ghibli": "スタジオジブリ",
            "bandai-namco": "バンダイナムコ",
            "square-enix": "スクウェア・エニックス",
            "ip-secretariat": "内閣府知的財産戦略推進事務局",
            "cabinet-office": "内閣府",
            "digital-agency": "デジタル庁",
            "house-of-representatives": "衆議院",
            "ai-strategy-hq": "AI戦略本部",
            "nikkei": "日本経済新聞社",
            "nhk": "日本放送協会",
        }
        assert dict(Organization.objects.filter(slug__in=expected).values_list("slug", "name_ja")) == expected
        # Every Japanese organization the reference names in Japanese has its Japanese name.
        missing = Organization.objects.filter(country="JP", name_ja="").exclude(name_original="")
        assert not missing.exists(), list(missing.values_list("slug", flat=True))
        coda = Organization.objects.get(slug="coda")
        with translation.override("ja"):
            assert (coda.name_in(), coda.display_name) == ("コンテンツ海外流通促進機構", "CODA")
            assert Organization.objects.get(slug="ldp").display_name == "自民党"
        with translation.override("en"):
            assert coda.display_name == "CODA"

    def test_the_dispute_page_reads_the_japanese_names(self, loaded, client, settings):
        from tests.factories import ReaderFactory

        client.force_login(ReaderFactory(username="reader", is_staff=True))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
        page = client.get(f"/disputes/{CODA_DISPUTE_SLUG}/").content.decode()
        assert "スタジオジブリ" in page and "内閣府知的財産戦略推進事務局" in page
        page = client.get("/disputes/nyt-v-microsoft-openai/").content.decode()
        assert "ニューヨーク州南部地区連邦地方裁判所" in page  # the court of the Times' lawsuit


# A US docket number as the reference writes it (1:23-cv-08292, 3:23-cv-03417-VC).
US_DOCKET = re.compile(r"\b\d:\d{2}-[a-z]{2}-\d+(?:-[A-Z]+)?\b")


class TestEveryLawsuitHasItsProceedings:
    """Every lawsuit in the reference is a proceeding with its court, docket, parties and claims; rulings,
    outcomes and amounts only where the reference states them."""

    def test_every_docket_number_of_the_reference_is_a_proceedings_docket(self, loaded):
        from disputes.models import DocketNumber

        for dispute in Dispute.objects.filter(stage__in=["litigation", "settled"]):
            assert dispute.proceedings.exists(), dispute.slug
            numbers = set(US_DOCKET.findall(dispute.case_numbers))
            dockets = set(
                DocketNumber.objects.filter(proceeding__dispute=dispute).values_list("number", flat=True)
            )
            assert numbers <= dockets, (dispute.slug, numbers - dockets)

    def test_every_proceeding_has_a_court_parties_on_both_sides_a_claim_and_sources(self, loaded):
        from disputes.models import Proceeding

        for proceeding in Proceeding.objects.select_related("forum"):
            forum = proceeding.forum
            assert forum.kind == "court" and forum.country and forum.court_level, proceeding
            roles = set(proceeding.parties.values_list("role", flat=True))
            assert roles & {"plaintiff", "class_representative", "appellant"} or proceeding.kind == "appeal"
            assert "defendant" in roles or proceeding.kind == "appeal", proceeding
            assert proceeding.claims.exists() or proceeding.kind == "appeal", proceeding
            assert proceeding.sources.exists(), proceeding

    def test_authors_guild_and_the_openai_mdl(self, loaded):
        from disputes.models import Proceeding

        mdl = Proceeding.objects.get(title="In re OpenAI Copyright Infringement Litigation")
        assert (mdl.kind, mdl.forum.slug, mdl.filed_on) == ("mdl", "sdny", dt.date(2025, 4, 3))
        docket = mdl.dockets.get()
        assert (docket.number, docket.court.slug) == ("MDL No. 3143", "jpml")
        assert [j.name for j in mdl.judges.all()] == ["Sidney H. Stein"]
        ruling = mdl.rulings.get()
        assert (ruling.decided_on, ruling.kind) == (dt.date(2025, 10, 27), "motion_to_dismiss")
        assert ruling.outcomes.get().outcome == "survives"
        assert ruling.event.proceeding == mdl

        guild = Proceeding.objects.get(title="Authors Guild v. OpenAI Inc.")
        assert (guild.kind, guild.forum.slug, guild.dockets.get().number) == (
            "class_action",
            "sdny",
            "1:23-cv-08292",
        )
        assert guild.consolidated_into == mdl and guild.disposition == "consolidated"
        assert set(
            guild.parties.filter(role="class_representative").values_list("person__name", flat=True)
        ) == {
            "John Grisham",
            "George R.R. Martin",
            "Jodi Picoult",
            "Jonathan Franzen",
            "David Baldacci",
            "Scott Turow",
        }
        assert guild.parties.get(role="plaintiff").organization.slug == "authors-guild"
        # Sources disagree on the day it was filed, and the record says so.
        assert guild.filed_on == dt.date(2023, 9, 19)
        assert {r.date for r in disputed_fields(guild.reported_dates.all())["filed_on"]} == {
            dt.date(2023, 9, 19),
            dt.date(2023, 9, 20),
        }
        assert Event.objects.get(title="Authors Guild class action filed").proceeding == guild

    def test_disney_and_universal_v_midjourney_with_warner_bros_discovery(self, loaded):
        from disputes.models import Proceeding

        studios = Proceeding.objects.get(title="Disney Enterprises, Inc. et al. v. Midjourney, Inc.")
        assert (studios.forum.slug, studios.filed_on, studios.dockets.get().number) == (
            "cdcal",
            dt.date(2025, 6, 11),
            "2:25-cv-05275",
        )
        assert set(studios.parties.values_list("organization__slug", "role")) == {
            ("disney", "plaintiff"),
            ("nbcuniversal", "plaintiff"),
            ("midjourney", "defendant"),
        }
        assert "2026-08-19" in studios.status_note
        combined = studios.rulings.get()
        assert (combined.decided_on, combined.decided_precision) == (dt.date(2025, 11, 1), "month")
        assert not combined.outcomes.exists()  # procedural: no claim decided
        warner = Proceeding.objects.get(title="Warner Bros. Discovery v. Midjourney")
        assert warner.consolidated_into == studios and warner.dockets.get().number == "2:25-cv-08376"
        assert warner.rulings.get().decided_on == dt.date(2025, 9, 5)
        assert Event.objects.get(title="Warner Bros. Discovery sues Midjourney").proceeding == warner
        answer = Event.objects.get(title="Midjourney's answer: fair use")
        assert answer.proceeding == studios and "date" in disputed_fields(answer.reported_dates.all())

    def test_kadrey_v_meta(self, loaded):
        from disputes.models import Proceeding

        kadrey = Proceeding.objects.get(title="Kadrey v. Meta Platforms, Inc.")
        assert (kadrey.forum.slug, kadrey.dockets.get().number) == ("ndcal", "3:23-cv-03417-VC")
        assert (kadrey.filed_on, kadrey.filed_precision) == (dt.date(2023, 1, 1), "year")  # day not found
        assert [j.name for j in kadrey.judges.all()] == ["Vince Chhabria"]
        assert set(
            kadrey.parties.filter(role="class_representative").values_list("person__name", flat=True)
        ) == {
            "Richard Kadrey",
            "Sarah Silverman",
            "Ta-Nehisi Coates",
            "Junot Díaz",
        }
        outcomes = {
            (r.decided_on, o.claim.cause.slug, o.outcome)
            for r in kadrey.rulings.all()
            for o in r.outcomes.select_related("claim__cause")
        }
        assert outcomes == {
            (dt.date(2025, 6, 25), "copyright-infringement", "rejected"),
            (dt.date(2025, 6, 27), "dmca-1202", "dismissed"),
        }

    def test_the_labels_v_suno_and_udio(self, loaded):
        from disputes.models import Proceeding

        suno = Proceeding.objects.get(title="UMG Recordings, Inc. et al. v. Suno, Inc.")
        udio = Proceeding.objects.get(title="UMG Recordings, Inc. et al. v. Uncharted Labs, Inc.")
        assert (suno.forum.slug, suno.dockets.get().number, suno.filed_on) == (
            "dmass",
            "1:24-cv-11611",
            dt.date(2024, 6, 24),
        )
        assert (udio.forum.slug, udio.dockets.get().number, udio.filed_on) == (
            "sdny",
            "1:24-cv-04777",
            dt.date(2024, 6, 24),
        )
        labels = {("umg", "plaintiff"), ("sony-music", "plaintiff"), ("warner-music", "plaintiff")}
        assert set(suno.parties.values_list("organization__slug", "role")) == {*labels, ("suno", "defendant")}
        assert set(udio.parties.values_list("organization__slug", "role")) == {*labels, ("udio", "defendant")}
        # The settlements are the proceedings' events, with the disputed date of UMG's.
        assert set(udio.events.values_list("title", flat=True)) == {
            "UMG and Udio settle and sign a licence",
            "WMG and Udio settle and sign a licence",
        }
        assert set(suno.events.values_list("title", flat=True)) == {"WMG and Suno settle and become partners"}
        assert "26 October" in udio.parties.get(organization__slug="umg").note
        # The reference states no ruling and no sum for these suits: none is made up.
        assert not suno.rulings.exists() and not udio.rulings.exists()
        from disputes.models import Amount

        assert not Amount.objects.filter(
            dispute__slug__in=[
                "labels-v-suno-udio",
                "kadrey-v-meta",
                "authors-guild-v-openai",
                "disney-universal-v-midjourney",
            ]
        ).exists()

    def test_the_new_proceedings_read_in_japanese(self, loaded):
        from disputes.models import Proceeding

        for proceeding in Proceeding.objects.filter(
            dispute__slug__in=[
                "labels-v-suno-udio",
                "kadrey-v-meta",
                "authors-guild-v-openai",
                "disney-universal-v-midjourney",
            ]
        ):
            assert proceeding.title_ja and proceeding.status_note_ja, proceeding
            assert all(p.note_ja for p in proceeding.parties.exclude(note="")), proceeding
            assert all(r.title_ja for r in proceeding.rulings.all()), proceeding
