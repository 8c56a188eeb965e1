import datetime as dt

import pytest

from disputes.imports import normalise as n
from disputes.models import DatePrecision


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (45114, (dt.date(2023, 7, 7), DatePrecision.DAY)),
        ("45114", (dt.date(2023, 7, 7), DatePrecision.DAY)),
        (dt.datetime(2023, 7, 7, 0, 0), (dt.date(2023, 7, 7), DatePrecision.DAY)),  # noqa: DTZ001
        ("2023-07-07", (dt.date(2023, 7, 7), DatePrecision.DAY)),
        ("07/07/2023", (dt.date(2023, 7, 7), DatePrecision.DAY)),
        ("July 7, 2023", (dt.date(2023, 7, 7), DatePrecision.DAY)),
        ("Sept. 5, 2024", (dt.date(2024, 9, 5), DatePrecision.DAY)),
        ("2023-07", (dt.date(2023, 7, 1), DatePrecision.MONTH)),
        ("2023", (dt.date(2023, 1, 1), DatePrecision.YEAR)),
        (None, None),
        ("", None),
        ("n/a", None),
    ],
)
def test_dates_as_dail_writes_them(cell, expected):
    assert n.parse_date(cell) == expected


def test_a_cell_that_is_not_a_date_says_so():
    with pytest.raises(ValueError, match="not a date"):
        n.parse_date("sometime in spring")


def test_quoted_list_cells():
    assert n.parse_list("'Copyright Infringement','Unjust Enrichment'") == [
        "Copyright Infringement",
        "Unjust Enrichment",
    ]
    assert n.parse_list("'Anna's Archive','X'") == ["Anna's Archive", "X"]
    assert n.parse_list("Copyright, Trademark") == ["Copyright", "Trademark"]
    assert n.parse_list(None) == []


def test_organizations_with_aliases_sides_and_counsel():
    named = n.split_organizations(
        "Plaintiffs: Warner Bros. Entertainment Inc.; DC Comics. Defendant: Midjourney Inc. "
        "Plaintiffs’ Counsel: (e.g., David R. Singer)"
    )
    assert [(o.name, o.side) for o in named] == [
        ("Warner Bros. Entertainment Inc.", "claimant"),
        ("DC Comics", "claimant"),
        ("Midjourney Inc.", "respondent"),
    ]
    suno = n.split_organizations(
        "Recording Industry Association of America (RIAA); Uncharted Labs, Inc. (“Udio”)"
    )
    assert [(o.name, o.aliases) for o in suno] == [
        ("Recording Industry Association of America", ["RIAA"]),
        ("Uncharted Labs, Inc.", ["Udio"]),
    ]
    # A comma before a corporate suffix does not split a name; law firms are not parties.
    assert [
        o.name for o in n.split_organizations("OpenAI, Inc., Microsoft; Keker, Van Nest & Peters LLP")
    ] == [
        "OpenAI, Inc.",
        "Microsoft",
        "Keker",
    ]


def test_one_organization_spelled_several_ways_has_one_key():
    assert len({n.org_key(s) for s in ["OpenAI, Inc.", "Open AI Inc", "OpenAI LP", "OpenAI"]}) == 1
    assert n.org_key("Meta Platforms, Inc.") == n.org_key("meta platforms")
    assert n.org_key("Amazon.com, Inc.") == n.org_key("Amazon")
    assert n.org_key("Perplexity AI, Inc.") == n.org_key("Perplexity")
    assert n.org_key("Universal Music Group") != n.org_key("Universal Music")


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Tokoyo District Court", "Tokyo District Court"),
        ("N.D. Ca.", "N.D. Cal."),
        ("Federal: N.D. Cal.", "N.D. Cal."),
        ("U.S. District Court for the Southern District of New York.", "S.D.N.Y."),
        ("District Court, D. Massachusetts", "D. Mass."),
        ("District Court of Amsterdam, Netherlands", "District Court of Amsterdam, Netherlands"),
    ],
)
def test_courts(raw, name):
    assert n.court_name(raw) == name


def test_captions_and_dockets():
    assert n.caption_key("Kadrey v. Meta Platforms, Inc.") == "kadrey v meta platforms"
    assert n.caption_key("The New York Times Company v. Microsoft") == n.caption_key(
        "The New York Times v. Microsoft & OpenAI"
    )
    assert n.caption_key("Nikkei Inc. and The Asahi Shimbun Co. v.s. Perplexity") == "nikkei v perplexity"
    assert n.caption_key("In re OpenAI Copyright Litigation") == ""
    assert (
        n.docket_key("3:23-cv-03417-VC") == n.docket_key("No. 3:23-cv-3417") == n.docket_key("3:2023cv03417")
    )
    assert n.docket_keys_in("S.D.N.Y. No. 1:23-cv-11195 (Judge Stein); MDL No. 3143") == {
        "1:23-cv-11195",
        "mdl-3143",
    }
    assert (
        n.courtlistener_id("https://www.courtlistener.com/docket/67569326/kadrey-v-meta-platforms-inc/")
        == 67569326
    )
    assert n.courtlistener_id("https://example.org/docket/1") is None
