"""The site's chrome: the favicon, and the API docs at the address people guess."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_icon_the_pages_link(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")
    assert finders.find("img/favicon.svg")


def test_every_page_links_the_favicon(client):
    page = client.get(reverse("login"))
    assert f'<link rel="icon" type="image/svg+xml" href="{static("img/favicon.svg")}">' in page.text


def test_api_docs_redirect_permanently_to_the_versioned_docs(client):
    response = client.get("/api/docs/")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/docs/"
