"""English and Japanese: a complete catalogue, compiled; a language switch; dates and names as readers expect."""

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

from disputes.templatetags.disputes_extras import format_day, ldatetime, names
from tests import factories

PO = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"
NOW = dt.datetime(2025, 12, 8, 12, 0, tzinfo=dt.UTC)


def po_entries(path: Path) -> list[dict]:
    """msgid, msgstr(s) and flags of every entry of a .po file (enough of the format for this check)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": "", "fields": {}}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and current:
                entry["fields"][current] += line[1:-1]
            elif " " in line:
                current, value = line.split(" ", 1)
                entry["fields"][current] = value[1:-1]
        if "msgid" in entry["fields"]:
            entries.append(entry)
    return entries


def test_every_string_has_a_japanese_translation():
    entries = [e for e in po_entries(PO) if e["fields"]["msgid"]]
    assert len(entries) > 300
    untranslated = [
        e["fields"]["msgid"]
        for e in entries
        if not any(value for key, value in e["fields"].items() if key.startswith("msgstr"))
    ]
    fuzzy = [e["fields"]["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], f"{len(untranslated)} strings have no translation: {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} translations are marked fuzzy: {fuzzy[:5]}"


def test_placeholders_survive_translation():
    for entry in po_entries(PO):
        fields = entry["fields"]
        source = set(re.findall(r"%\(\w+\)[sd]", fields["msgid"] + fields.get("msgid_plural", "")))
        for key, value in fields.items():
            if key.startswith("msgstr") and fields["msgid"]:
                assert set(re.findall(r"%\(\w+\)[sd]", value)) == source, fields["msgid"]


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """LocaleMiddleware leaves the request's language active in this thread; do not leak Japanese."""
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def compiled():
    """Compile the catalogue the way `make` does, and make Django read the fresh .mo file."""
    if shutil.which("msgfmt") is None:
        pytest.fail("GNU gettext's msgfmt is needed to compile translations: apt-get install gettext")
    call_command("compilemessages", locale=["ja"], ignore_patterns=[".venv"], verbosity=0)
    assert PO.with_suffix(".mo").exists()
    trans_real._translations = {}
    trans_real._default = None
    yield


@pytest.fixture
def s(db):
    return factories.build_coda_scenario()


@pytest.fixture
def japanese_client(client, s, compiled):
    client.force_login(factories.UserFactory(is_staff=True))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    return client


def page_text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "/",
            [
                "対応が必要なこと",
                "期限超過の書簡",
                "11 日 当方の期限を超過",
                "期限の記載なし。当方の既定期限：2025年11月26日（Asia/Tokyo の当日終わり）",
            ],
        ),
        ("/disputes/", ["紛争2件", "最新の動き", "CODA対OpenAI（Sora 2）", "書簡送付済み"]),
        (
            "/disputes/coda-v-openai-sora-2/",
            [
                "2025年10月27日",
                "当方の既定期限を11日超過",
                "要求1：",
                "未対応",
                "送付日に争いあり",
                "一次資料",
                "申立人",
            ],
        ),
        ("/timeline/", ["すべての紛争のタイムライン", "2025年10月", "新しい順"]),
        ("/organizations/openai/", ["書簡への回答状況", "未回答の書簡", "誠実に回答（1件中0件）"]),
        ("/products/sora-2/", ["書簡・期限・回答をひと目で", "開発者"]),
    ],
)
def test_pages_in_japanese(japanese_client, url, expected):
    with time_machine.travel(NOW, tick=False):
        response = japanese_client.get(url)
    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()
    text = page_text(response)
    for phrase in expected:
        assert phrase in text, phrase
    for english in ("Home", "Disputes", "Timeline", "Log out", "Skip to main content", "Overdue by"):
        assert f" {english} " not in text, english


def test_a_japanese_reader_gets_the_japanese_summary_and_status_and_can_search_them(japanese_client, s):
    dispute = s.dispute
    dispute.summary = "Rights holders object. " + "word " * 100
    dispute.summary_ja = "権利者が反対している。" + "あ" * 300
    dispute.status_note_ja = "回答待ち（公の回答は見つかっていない）"
    dispute.save()
    with time_machine.travel(NOW, tick=False):
        html_ja = japanese_client.get(dispute.get_absolute_url()).content.decode()
    # Long: its opening first (180 characters), the whole text one click away, marked as Japanese.
    assert '<div class="lede lede--short" lang="ja"><p>権利者が反対している。' in html_ja
    assert "Rights holders object." not in html_ja
    assert '<span class="muted" lang="ja">回答待ち（公の回答は見つかっていない）</span>' in html_ja
    with time_machine.travel(NOW, tick=False):
        listing = japanese_client.get("/disputes/").content.decode()
    assert "回答待ち（公の回答は見つかっていない）" in listing and dispute.status_note not in listing
    japanese_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(NOW, tick=False):
        html_en = japanese_client.get(dispute.get_absolute_url()).content.decode()
    assert "Rights holders object." in html_en and "権利者が反対している。" not in html_en
    found = japanese_client.get("/disputes/", {"q": "権利者が反対"}).content.decode()
    assert dispute.get_absolute_url() in found


def test_switching_language(client, s, compiled):
    client.force_login(factories.UserFactory(is_staff=True))
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/disputes/"})
    assert response.status_code == 302 and response["Location"] == "/disputes/"
    assert '<html lang="ja">' in client.get("/disputes/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_the_language_switch_is_on_every_page_and_the_login(client, s, compiled):
    assert 'action="/i18n/setlang/"' in client.get("/accounts/login/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    login = page_text(client.get("/accounts/login/"))
    assert "ログイン" in login and "ユーザー名" in login and "パスワード" in login


@pytest.mark.parametrize(
    "language, precision, expected",
    [
        ("en", "day", "27 Oct 2025"),
        ("ja", "day", "2025年10月27日"),
        ("en", "month", "Sep 2025"),
        ("ja", "month", "2025年9月"),
        ("en", "year", "2025"),
        ("ja", "year", "2025年"),
    ],
)
def test_dates_as_each_reader_expects(language, precision, expected):
    day = dt.date(2025, 10, 27) if precision == "day" else dt.date(2025, 9, 1)
    with translation.override(language):
        assert format_day(day, precision) == expected


def test_instants_are_shown_in_the_viewers_time_zone():
    deadline = dt.datetime(2025, 11, 26, 14, 59, 59, tzinfo=dt.UTC)  # 23:59:59 in Tokyo
    with translation.override("en"):
        assert ldatetime(deadline) == "26 Nov 2025, 14:59 UTC"
    with translation.override("ja"), time_machine.travel(NOW):
        from django.utils import timezone

        with timezone.override("Asia/Tokyo"):
            assert ldatetime(deadline) == "2025年11月26日 23:59 JST"


def test_names_come_in_the_readers_language_first(s):
    with translation.override("en"):
        assert names(s.coda) == (
            "Content Overseas Distribution Association",
            "一般社団法人コンテンツ海外流通促進機構",
        )
        assert names(s.openai) == ("OpenAI", "")
    with translation.override("ja"):
        assert names(s.coda) == (
            "一般社団法人コンテンツ海外流通促進機構",
            "Content Overseas Distribution Association",
        )
        assert names(s.dispute) == ("CODA対OpenAI（Sora 2）", "CODA v. OpenAI (Sora 2)")
        assert names(s.kiuchi) == ("城内実", "Minoru Kiuchi")
