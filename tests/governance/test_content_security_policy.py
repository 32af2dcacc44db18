"""The production security baseline's headers (issue 19, point 6): every response carries the
Content-Security-Policy of governance/settings.py (scripts only from the portal's own files, no
inline script, no framing), and no template holds what that policy would block: an inline
<script> or an on* event-handler attribute (their behaviour lives in static/js/)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from governance.testing.factories import TEST_PASSWORD, UserFactory

ROOT = Path(settings.BASE_DIR)
PORTAL_APPS = ["governance", "villages", "rights_lists", "covenants", "supervision", "grids", "engagement"]

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# An attribute named on<something> inside a tag: onclick=, onchange=, onload=, ...
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^<>]*?\s(on[a-z]+)\s*=", re.IGNORECASE | re.DOTALL)
# A script that only carries data (json_script's output is written this way) runs nothing.
DATA_SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(ld\+)?json""", re.IGNORECASE)


def page_templates() -> list[Path]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [ROOT / app / "templates" for app in PORTAL_APPS]
    return sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*.html"))


def inline_code(source: str) -> list[str]:
    found = []
    for match in SCRIPT_TAG.finditer(source):
        attributes = match.group(1)
        if not re.search(r"\bsrc\s*=", attributes, re.IGNORECASE) and not DATA_SCRIPT_TYPE.search(attributes):
            found.append(match.group(0))
    found += [f"{match.group(1)}= in {match.group(0)[:80]}" for match in EVENT_HANDLER.finditer(source)]
    return found


def test_the_walk_finds_inline_scripts_and_event_handlers_and_passes_script_files_and_data():
    assert inline_code('<script>alert(1)</script><button onclick="go()">') == [
        "<script>",
        "onclick= in <button onclick=",
    ]
    assert inline_code('<select class="x"\n  onchange="this.form.submit()">') != []
    assert inline_code('<script src="/static/js/portal.js"></script><select data-auto-submit>') == []
    assert inline_code('<script id="d" type="application/json">{"a": 1}</script>') == []
    assert inline_code('<p>Look online=yes</p><a href="/?one=1">') == []


def test_no_page_template_has_an_inline_script_or_an_event_handler_attribute():
    templates = page_templates()
    assert len(templates) > 100  # the walk found the templates of every app

    offending = {
        str(path.relative_to(ROOT)): found for path in templates if (found := inline_code(path.read_text("utf-8")))
    }

    assert offending == {}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def assert_portal_policy(response) -> None:
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_page_the_api_and_the_api_docs_answer_with_the_content_security_policy():
    client = Client()

    sign_in_page = client.get("/accounts/login/")
    api = client.get("/api/v1/me/")
    docs = client.get("/api/v1/docs/")
    docs_script = client.get("/api/v1/docs/?script=")

    assert sign_in_page.status_code == 200
    assert api.status_code in (401, 403)
    assert docs.status_code == docs_script.status_code == 200
    for response in (sign_in_page, api, docs, docs_script):
        assert_portal_policy(response)
    assert inline_code(docs.content.decode()) == []


@pytest.mark.django_db
def test_a_signed_in_page_keeps_the_policy_and_its_cookies_are_closed_to_scripts():
    UserFactory(username="clerk")
    client = Client()

    signed_in = client.post("/accounts/login/", {"username": "clerk", "password": TEST_PASSWORD})
    home = client.get("/")

    assert signed_in.status_code == 302
    session, csrf = signed_in.cookies[settings.SESSION_COOKIE_NAME], client.cookies[settings.CSRF_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    assert home.status_code == 200
    assert_portal_policy(home)
    assert inline_code(home.content.decode()) == []
