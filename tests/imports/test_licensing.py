import datetime as dt

import pytest

from disputes import models as m
from disputes.imports.licensing import date_from_url, licence_kind, licences_import

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db


def test_licences_from_the_table():
    report = licences_import(FIXTURES / "licensing.csv")
    assert (report.created, report.sources_added, report.rejected) == (4, 1, [])
    lantern = m.Licence.objects.get(rights_holder__name="Lantern Press")
    assert lantern.ai_developer.name == "Quillmind AI"
    assert (lantern.announced_on, lantern.announced_precision) == (dt.date(2025, 2, 14), m.DatePrecision.DAY)
    assert lantern.sources.get().reliability == m.Reliability.PRIMARY
    # "Quillmind" and "Quillmind AI" are one developer.
    assert m.Organization.objects.filter(name__istartswith="Quillmind").count() == 1
    harbour = m.Licence.objects.get(rights_holder__name="Harbour Songs")
    assert (harbour.kind, harbour.work_type) == (m.LicenceKind.PARTNERSHIP, m.WorkType.AUDIO)
    # Undisclosed licensees, named so or left empty; two announcements of one TDM licence are one licence.
    archive = m.Licence.objects.get(rights_holder__name="Archive House")
    assert archive.licensees_undisclosed and archive.ai_developer is None and archive.sources.count() == 2
    sakura = m.Licence.objects.get(rights_holder__name="Sakura Shimbun")
    assert sakura.licensees_undisclosed and sakura.kind == m.LicenceKind.PUBLISHERS_PROGRAM
    assert sakura.announced_on == dt.date(2025, 3, 1)
    assert any("no AI company" in p for p in report.problems)
    again = licences_import(FIXTURES / "licensing.csv")
    assert (again.created, again.sources_added, again.unchanged) == (0, 0, 5)


def test_a_dry_run_writes_nothing():
    report = licences_import(FIXTURES / "licensing.csv", dry_run=True)
    assert report.created == 4
    assert not m.Licence.objects.exists() and not m.Organization.objects.exists()


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("AI License", m.LicenceKind.AI_LICENCE),
        ("TDM License", m.LicenceKind.TDM_LICENCE),
        ("Publishers’ Program", m.LicenceKind.PUBLISHERS_PROGRAM),
        ("Sony Music AI Partnership", m.LicenceKind.PARTNERSHIP),
        ("Global Copyright Exchange", m.LicenceKind.OTHER),
    ],
)
def test_kinds(label, kind):
    assert licence_kind(label) == kind


def test_dates_in_announcement_addresses():
    assert date_from_url("https://x.org/2024/05/22/deal") == (dt.date(2024, 5, 22), m.DatePrecision.DAY)
    assert date_from_url("https://x.org/blog/2024/12/deal") == (dt.date(2024, 12, 1), m.DatePrecision.MONTH)
    assert date_from_url("https://www.businesswire.com/news/home/20241209071998/en/X") == (
        dt.date(2024, 12, 9),
        m.DatePrecision.DAY,
    )
    assert date_from_url("https://x.org/deal") is None


def test_a_licence_names_its_licensee_or_says_it_does_not(db):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    holder = m.Organization.objects.create(kind="media", name="H", slug="h")
    licence = m.Licence(rights_holder=holder, kind=m.LicenceKind.AI_LICENCE)
    with pytest.raises(ValidationError):
        licence.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        licence.save()
