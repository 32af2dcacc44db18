"""The shared pages read what the apps register (governance.registry): home's work counts and
panels, the navigation, and the sections of a village's public page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext_lazy

from governance.registry import NavItem, Panel, PendingWork, registry
from governance.testing import world as w
from governance.testing.pages import signed_in_client


def test_home_shows_a_registered_count_of_pending_work_only_when_there_is_some(world, monkeypatch):
    counts = {"town_official": 3, "village_clerk": 0}
    monkeypatch.setitem(
        registry.pending_work,
        "reviews",
        PendingWork(
            key="reviews",
            message=lambda count: f"{count} 件待审",
            count=lambda user: counts.get(user.username, 0),
            url_name="home",
            link_label="去看看",
        ),
    )

    official = signed_in_client(world.user("town_official")).get(reverse("home"))
    clerk = signed_in_client(world.user("village_clerk")).get(reverse("home"))

    assert official.context["pending_counts"]["reviews"] == 3
    assert 'id="pending-reviews"' in official.text and "3 件待审" in official.text
    assert clerk.context["pending_counts"]["reviews"] == 0
    assert 'id="pending-reviews"' not in clerk.text


def test_a_count_added_with_its_lazy_plural_reads_in_the_language_of_the_page(world, monkeypatch):
    monkeypatch.setattr(registry, "pending_work", dict(registry.pending_work))
    # A sentence of the catalogue, so that its English plural forms are known.
    registry.add_pending_work(
        "plural-check",
        ngettext_lazy("%(count)d 条违约记录待认定。", "%(count)d 条违约记录待认定。", "count"),
        count=lambda user: 1,
        url_name="home",
        link_label="去看看",
    )
    work = registry.pending_work["plural-check"]

    assert work.message(3) == "3 条违约记录待认定。"
    with translation.override("en"):
        assert (work.message(1), work.message(2)) == (
            "1 violation waits for confirmation.",
            "2 violations wait for confirmation.",
        )


def test_home_leaves_out_a_panel_whose_context_is_none(world, monkeypatch):
    monkeypatch.setitem(
        registry.home_panels,
        "nothing",
        Panel(key="nothing", template="villages/home_jurisdiction.html", context=lambda request: None),
    )

    response = signed_in_client(world.user("town_official")).get(reverse("home"))

    assert "nothing" not in response.context["panels_by_key"]
    assert "jurisdiction" in response.context["panels_by_key"]


def test_the_navigation_shows_the_registered_items_to_whom_they_are_for(world, monkeypatch):
    monkeypatch.setitem(
        registry.nav,
        "for-officials",
        NavItem("for-officials", "官员专用", "home", shown_to=lambda user: user.username == "town_official"),
    )

    official = signed_in_client(world.user("town_official")).get(reverse("home"))
    clerk = signed_in_client(world.user("village_clerk")).get(reverse("home"))

    assert "官员专用" in official.text
    assert "官员专用" not in clerk.text
    assert reverse("villages:people") in clerk.text  # villages' own item


def test_items_of_one_group_share_a_drop_down_where_the_groups_first_item_stands(world, monkeypatch):
    monkeypatch.setitem(registry.nav, "grouped-b", NavItem("grouped-b", "乙项", "home", order=91, group="甲组"))
    monkeypatch.setitem(registry.nav, "alone", NavItem("alone", "单独一项", "home", order=92))
    monkeypatch.setitem(
        registry.nav, "grouped-a", NavItem("grouped-a", "甲项", "home", order=90, group="甲组", active_views=("home",))
    )

    response = signed_in_client(world.user("town_official")).get(reverse("home"))

    entries = [entry for entry in response.context["nav_entries"] if str(entry.label) in {"甲组", "单独一项"}]
    assert [(str(entry.label), entry.is_group) for entry in entries] == [("甲组", True), ("单独一项", False)]
    assert [str(item.label) for item in entries[0].items] == ["甲项", "乙项"]
    assert "home" in entries[0].active_views
    assert response.text.index("甲组") < response.text.index("甲项") < response.text.index("乙项")


def test_a_villages_public_page_needs_no_sign_in_and_names_the_village_and_its_town(world):
    response = Client().get(reverse("public_division", args=[w.VILLAGE]))

    assert response.status_code == 200
    assert "罗村村委会" in response.text and "狮山镇" in response.text
    assert 'id="public-nothing-yet"' in response.text


@pytest.mark.parametrize("code", [w.TOWN, w.COOPERATIVE, "440605124999", "not-a-code"])
def test_a_public_page_exists_only_for_a_village_or_community(world, code):
    assert Client().get(reverse("public_division", args=[code])).status_code == 404


def test_a_public_page_shows_the_sections_the_apps_register(world, monkeypatch):
    monkeypatch.setitem(
        registry.public_sections,
        "covenant",
        Panel(key="covenant", template="governance/public_division.html", context=lambda division: None),
    )
    monkeypatch.setitem(
        registry.public_sections,
        "note",
        Panel(key="note", template="villages/home_jurisdiction.html", context=lambda division: {"divisions": []}),
    )

    response = Client().get(reverse("public_division", args=[w.VILLAGE]))

    assert 'id="public-note"' in response.text
    assert 'id="public-covenant"' not in response.text
    assert 'id="public-nothing-yet"' not in response.text
