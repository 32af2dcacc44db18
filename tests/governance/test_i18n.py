"""Chinese by default, English on request."""

import ast
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from governance.people_names import display_name
from governance.testing import world as w
from governance.testing.factories import UserFactory
from governance.testing.pages import signed_in_client
from villages.identity import make_id_number

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


# --- API errors follow Accept-Language, page errors the language switch ------------------------

PEOPLE_URL = "/api/v1/people/"


def person_with_a_wrong_check_character() -> dict:
    id_number = make_id_number("440605", datetime.date(1990, 6, 15), 1)
    wrong = "0" if id_number[-1] != "0" else "1"
    return {"name": "新登记村民", "id_number": id_number[:17] + wrong, "division": w.VILLAGE}


@pytest.mark.parametrize("accept_language", [None, "zh-hans", "zh-CN,zh;q=0.9,en;q=0.8"])
def test_an_api_validation_error_is_in_chinese_by_default_and_for_a_chinese_client(world, client_for, accept_language):
    headers = {} if accept_language is None else {"HTTP_ACCEPT_LANGUAGE": accept_language}

    clerk = client_for(world.user("village_clerk"))

    response = clerk.post(PEOPLE_URL, person_with_a_wrong_check_character(), **headers)

    assert response.status_code == 400
    assert response.json() == {"id_number": ["身份证号校验码错误。"]}
    assert response["Content-Language"] == "zh-hans"


def test_an_api_validation_error_is_in_english_for_an_english_client(world, client_for):
    response = client_for(world.user("village_clerk")).post(
        PEOPLE_URL, person_with_a_wrong_check_character(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )

    assert response.status_code == 400
    assert response.json() == {"id_number": ["The ID number's check character is wrong."]}
    assert response["Content-Language"] == "en"


def test_an_api_404_outside_the_jurisdiction_follows_accept_language(world, client_for):
    client = client_for(world.user("village_clerk"))
    elsewhere = f"/api/v1/divisions/{w.OTHER_VILLAGE_SAME_TOWN}/"

    assert client.get(elsewhere).json() == {"detail": "未找到，或不在您的辖区内。"}
    assert client.get(elsewhere, HTTP_ACCEPT_LANGUAGE="zh-hans").json() == {"detail": "未找到，或不在您的辖区内。"}
    assert client.get(elsewhere, HTTP_ACCEPT_LANGUAGE="en").json() == {
        "detail": "Not found, or outside your jurisdiction."
    }


def test_an_api_url_that_matches_no_route_answers_404_in_the_clients_language(client):
    assert client.get("/api/v1/no-such-endpoint/").json() == {"detail": "未找到。"}
    assert client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="en").json() == {"detail": "Not found."}


def test_a_page_form_error_is_in_chinese_by_default_even_for_an_english_browser(world):
    response = signed_in_client(world.user("village_clerk")).post(
        reverse("villages:person_add", args=[w.VILLAGE]),
        person_with_a_wrong_check_character(),
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )

    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == ["身份证号校验码错误。"]
    assert "身份证号校验码错误。" in response.text


def test_a_page_form_error_is_in_english_with_the_language_switch(world):
    client = signed_in_client(world.user("village_clerk"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("villages:person_add", args=[w.VILLAGE]), person_with_a_wrong_check_character())

    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == ["The ID number's check character is wrong."]
    assert "The ID number&#x27;s check character is wrong." in response.text
    assert "身份证号校验码错误" not in response.text


# --- The catalogue: one language per message, every message in English ------------------------

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Han characters (the CJK unified ideographs, their extensions and the compatibility block).
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
LATIN = re.compile(r"[A-Za-z]")
# Two Latin words in a row ("Not found", "record their leaving"): English text, not a code like
# "X" or "ID".
LATIN_WORDS = re.compile(r"[A-Za-z]+(?:[\s,:;'’-]+[A-Za-z]+)+")
# What a message holds besides its words: %-placeholders, {}-placeholders, template variables,
# HTML tags and entities.
NOT_WORDS = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{.*?\}\}|\{\w*\}|<[^>]*>|&#?\w+;")


def carries_both_languages(text: str) -> bool:
    """A message carries both languages when, its placeholders and markup aside, it has a Han
    character and also either two Latin words in a row, or a slash with Han on one side and a
    Latin letter on the other ("户号 / Number"). "第 %(number)s / %(total)s 页" and
    "17位数字加1位校验码（数字或X）" carry one language."""
    text = NOT_WORDS.sub(" ", text)
    if not HAN.search(text):
        return False
    if LATIN_WORDS.search(text):
        return True
    sides = text.split("/")
    return any(
        (HAN.search(before) and LATIN.search(after)) or (LATIN.search(before) and HAN.search(after))
        for before, after in zip(sides, sides[1:], strict=False)
    )


@pytest.mark.parametrize(
    "message",
    [
        "本村社已有此户号。 / This household number is already used here.",
        "区划代码 {value} 不存在。 / No division has the code {value}.",
        "身份证号校验码错误。 / The ID number's check character is wrong.",
        "未找到。 / Not found.",
        "登录失败次数过多，账户已被暂时锁定。 / Too many failed sign-ins: locked out for a while.",
        "户号 / Number",
        "Number / 户号",
        "户号（household number）",
        "已登记 %(name)s。 %(name)s is registered.",
    ],
)
def test_the_check_catches_a_message_in_both_languages(message):
    assert carries_both_languages(message)


@pytest.mark.parametrize(
    "message",
    [
        "本村社已有此户号。",
        "第 %(number)s / %(total)s 页",
        "身份证号应为18位：17位数字加1位校验码（数字或X）。",
        "区划代码 {value} 不存在。",
        '<a href="%(url)s" class="alert-link">登记人员</a>',
        "English",
        "The ID number's check character is wrong.",
    ],
)
def test_the_check_passes_a_message_in_one_language(message):
    assert not carries_both_languages(message)


@dataclass
class CatalogueEntry:
    msgid: str
    msgid_plural: str
    translations: list[str]  # msgstr, or msgstr[0], msgstr[1], ...
    flags: list[str]
    context: str | None = None


def catalogue_entries(text: str) -> list[CatalogueEntry]:
    """The entries of a .po file but its header and its obsolete ("#~") entries, which
    compilemessages leaves out; each field joined with its continuation lines."""
    entries = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        fields: dict[str, str] = {}
        flags: list[str] = []
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[field] += ast.literal_eval(line)
            else:
                field, literal = line.split(" ", 1)
                fields[field] = ast.literal_eval(literal)
        if fields.get("msgid"):
            entries.append(
                CatalogueEntry(
                    msgid=fields["msgid"],
                    msgid_plural=fields.get("msgid_plural", ""),
                    translations=[value for name, value in fields.items() if name.startswith("msgstr")],
                    flags=flags,
                    context=fields.get("msgctxt"),
                )
            )
    return entries


def test_the_catalogue_reader_reads_plurals_flags_and_continuation_lines():
    sample = """msgid ""
msgstr ""
"Language: en\\n"

#: villages/models.py:530
msgid ""
"该村社已有现任的此职务，"
"请先登记原任职人员离任。"
msgstr ""
"This post "
"is taken."

#, fuzzy, python-format
msgid "共 %(counter)s 人"
msgid_plural "共 %(counter)s 人"
msgstr[0] "%(counter)s person"
msgstr[1] ""

#~ msgid "旧的"
#~ msgstr "Old"
"""
    taken, people = catalogue_entries(sample)
    assert (taken.msgid, taken.translations, taken.flags) == (
        "该村社已有现任的此职务，请先登记原任职人员离任。",
        ["This post is taken."],
        [],
    )
    assert (people.msgid_plural, people.translations, people.flags) == (
        "共 %(counter)s 人",
        ["%(counter)s person", ""],
        ["fuzzy", "python-format"],
    )


def test_every_message_is_in_chinese_alone_and_has_an_english_translation():
    """The English switch must never show Chinese, and Chinese readers must never read English:
    every msgid is in one language, and has a non-empty English msgstr (each plural form), none
    fuzzy (`make messages` marks new strings fuzzy or leaves them empty, and compilemessages
    skips both)."""
    entries = catalogue_entries(CATALOGUE.read_text(encoding="utf-8"))
    assert len(entries) > 200, "the catalogue reader found the messages"

    bilingual = [e.msgid for e in entries if carries_both_languages(e.msgid) or carries_both_languages(e.msgid_plural)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    untranslated = [
        e.msgid
        for e in entries
        if not e.translations
        or any(not text.strip() for text in e.translations)
        or (e.msgid_plural and len(e.translations) != 2)  # Plural-Forms: nplurals=2
    ]
    chinese_in_english = [e.msgid for e in entries if any(HAN.search(text) for text in e.translations)]

    assert bilingual == []
    assert fuzzy == []
    assert untranslated == []
    assert chinese_in_english == []


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed with the .po: each English msgstr is what Django serves."""
    entries = catalogue_entries(CATALOGUE.read_text(encoding="utf-8"))
    stale = []
    with translation.override("en"):
        for e in entries:
            if e.msgid_plural and e.context:
                served = [translation.npgettext(e.context, e.msgid, e.msgid_plural, n) for n in (1, 2)]
            elif e.msgid_plural:
                served = [translation.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            elif e.context:
                served = [translation.pgettext(e.context, e.msgid)]
            else:
                served = [translation.gettext(e.msgid)]
            if served != e.translations:
                stale.append(e.msgid)
    assert stale == [], "run `make messages` (compilemessages)"


GETTEXT_FUNCTIONS = {
    "_",
    *("gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"),
    *("pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"),
}


# The plural functions' last argument is the number, never a message, even when it is a string: a
# lazy plural names the key of its number (ngettext_lazy("%(count)d 项", "%(count)d 项", "count")).
MESSAGE_ARGUMENTS = {"ngettext": 2, "ngettext_lazy": 2, "npgettext": 3, "npgettext_lazy": 3}
# The contextual functions' first argument is the context (pgettext_lazy("top bar", "村规民约")),
# never a message.
CONTEXT_FIRST = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def gettext_messages_in_python(path: Path) -> list[str]:
    """The string arguments of the gettext calls in a Python file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT_FUNCTIONS:
                first = 1 if name in CONTEXT_FIRST else 0
                arguments = node.args[first : MESSAGE_ARGUMENTS.get(name, len(node.args))]
                found += [arg.value for arg in arguments if isinstance(getattr(arg, "value", None), str)]
    return found


def gettext_messages_in_template(path: Path) -> list[str]:
    """The texts of a template's {% translate %} and {% blocktranslate %} tags, as makemessages
    sees them (templatize turns them into gettext calls and masks everything else)."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    return [ast.literal_eval(f"'{literal}'") for literal in re.findall(r"\bu'((?:[^'\\]|\\.)*)'", code)]


def local_source_folders() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted({Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == base})


def test_no_gettext_call_in_the_sources_carries_both_languages():
    """The same check on the sources, so that a bilingual message cannot wait, untranslated, for
    the next `make messages` (management commands' CLI text, not passed to gettext, may stay
    bilingual)."""
    folders = local_source_folders()
    assert {"governance", "villages"} <= {folder.name for folder in folders}
    messages = {}
    for folder in folders:
        for path in folder.rglob("*.py"):
            for message in gettext_messages_in_python(path):
                messages.setdefault(message, path)
    templates = [*(Path(settings.BASE_DIR) / "templates").rglob("*.html")]
    templates += [path for folder in folders for path in folder.rglob("templates/**/*.html")]
    for path in templates:
        for message in gettext_messages_in_template(path):
            messages.setdefault(message, path)
    assert {"本村社已有此户号。", "第 %(number)s / %(total)s 页"} <= set(messages), "the scan found the messages"

    bilingual = {message: str(path) for message, path in messages.items() if carries_both_languages(message)}

    assert bilingual == {}


def test_every_message_of_the_sources_is_in_the_catalogue():
    """A new message that `make messages` has not yet brought into locale/en would show in
    Chinese on the English pages: every gettext call of the sources has its catalogue entry."""
    in_catalogue = set()
    for entry in catalogue_entries(CATALOGUE.read_text(encoding="utf-8")):
        in_catalogue.update({entry.msgid, entry.msgid_plural} - {""})
    folders = local_source_folders()
    messages = {}
    for folder in folders:
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                for message in gettext_messages_in_python(path):
                    messages.setdefault(message, str(path))
    templates = [*(Path(settings.BASE_DIR) / "templates").rglob("*.html")]
    for path in templates:
        for message in gettext_messages_in_template(path):
            messages.setdefault(message, str(path))
    assert len(messages) > 200, "the scan found the messages"

    missing = {message: path for message, path in messages.items() if message not in in_catalogue}

    assert missing == {}, "run `make messages` and translate the new entries"
