"""Chinese by default, English on request."""

from pathlib import Path

import pytest
from django.conf import settings

from governance.people_names import display_name
from governance.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_chinese_even_for_an_english_browser(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page
    assert 'lang="zh-hans"' in page


def test_the_language_switch_gives_english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page


def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tlh"
    assert 'lang="zh-hans"' in client.get("/accounts/login/").content.decode()


def test_api_errors_follow_the_clients_accept_language(client):
    chinese = client.get("/api/v1/people/").json()["detail"]
    english = client.get("/api/v1/people/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert chinese != english
    assert "credentials" in english


def test_a_chinese_name_shows_family_name_first_without_a_space():
    user = UserFactory.build(username="chen", first_name="嘉慧", last_name="陈")
    assert display_name(user) == "陈嘉慧"


def test_a_western_name_shows_as_usual_and_no_name_shows_the_username():
    assert display_name(UserFactory.build(username="jd", first_name="Jane", last_name="Doe")) == "Jane Doe"
    assert display_name(UserFactory.build(username="nobody")) == "nobody"


def test_every_chinese_message_has_an_english_translation_and_none_is_fuzzy():
    """The English switch must never show Chinese: `make messages` marks new strings fuzzy or
    leaves them empty, and compilemessages skips both. Bilingual messages ("中文 / English")
    need no translation."""
    catalogue = (Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = catalogue.split("\n\n")[1:]  # the first entry is the header

    fuzzy = [entry for entry in entries if "#, fuzzy" in entry]
    untranslated = [entry for entry in entries if " / " not in entry and any(text == "" for text in translations(entry))]

    assert fuzzy == []
    assert untranslated == []


def translations(entry: str) -> list[str]:
    """The texts of an entry's msgstr (or msgstr[N]) lines, each joined with its continuation
    lines ("..." on the lines below)."""
    texts: list[str] = []
    for line in entry.splitlines():
        if line.startswith("msgstr"):
            texts.append(line.split(" ", 1)[1].strip('"'))
        elif line.startswith('"') and texts:
            texts[-1] += line.strip('"')
    return texts
