"""The chief weight of a scheme (supervision.choices): a cooperative scheme's central work
(`central_work`) weighs strictly more than any other indicator, else the scheme is refused with a
400 on `indicators` (Nanhai task 09); a scheme assessing community workers whose residents'
satisfaction (`residents_satisfaction`) is not the heaviest is kept and says so (Jiangsu (十)), in
its API detail's `warnings` and on its page. Each at the boundary: one point less, equal, one more."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.testing import world as w
from governance.testing.api import client_as, queries_and_rows
from governance.testing.pages import signed_in_client
from supervision.choices import CENTRAL_WORK, RESIDENTS_SATISFACTION, carries_largest_weight
from supervision.models import Scheme
from supervision.services import scoring as services
from supervision.testing.factories import scheme
from villages.models import Division

pytestmark = pytest.mark.django_db

GRADES = {"excellent": 90, "good": 80, "pass": 60}
CENTRAL_WORK_REFUSED = (
    "经济社考核以中心工作为主：应设指标代码为 central_work 的中心工作指标，且其权重高于其他各项指标。"
)


def indicators(chief: str, chief_weight: int, other_weight: int) -> list[dict]:
    """The chief indicator, one other of `other_weight`, and the rest in ones to make 100."""
    rest = 100 - chief_weight - other_weight
    rows = [
        {"code": chief, "name": "主要指标", "weight": chief_weight, "source": "entered"},
        {"code": "other", "name": "其他指标", "weight": other_weight, "source": "entered"},
    ]
    if rest:
        rows.append({"code": "rest", "name": "其余指标", "weight": rest, "source": "entered"})
    return rows


def create(user, level="cooperative", rows=None, **fields):
    return services.create_scheme(
        acting_user=user,
        division=Division.objects.get(code=w.TOWN),
        level=level,
        period="2026",
        name="2026年度考核",
        indicators=rows,
        grades=GRADES,
        excellent_share=20,
        **fields,
    )


def test_carries_largest_weight_means_strictly_more_than_every_other():
    assert carries_largest_weight({"a": 41, "b": 40, "c": 19}, "a")
    assert not carries_largest_weight({"a": 40, "b": 40, "c": 20}, "a")
    assert not carries_largest_weight({"a": 39, "b": 40, "c": 21}, "a")
    assert not carries_largest_weight({"b": 100}, "a")
    assert carries_largest_weight({"a": 100}, "a")


# --- central work in a cooperative scheme ------------------------------------------------------------


@pytest.mark.parametrize(("central", "other", "accepted"), [(39, 40, False), (40, 40, False), (41, 40, True)])
def test_a_cooperative_schemes_central_work_must_weigh_more_than_any_other(world, central, other, accepted):
    official = world.user("town_official")
    rows = indicators(CENTRAL_WORK, central, other)

    if accepted:
        assert create(official, rows=rows).indicators.get(code=CENTRAL_WORK).weight == central
        return
    with pytest.raises(ValidationError) as refused:
        create(official, rows=rows)
    assert refused.value.message_dict == {"indicators": [CENTRAL_WORK_REFUSED]}
    assert not Scheme.objects.exists()


def test_a_cooperative_scheme_without_central_work_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        create(world.user("town_official"), rows=indicators("work", 60, 40))

    assert refused.value.message_dict == {"indicators": [CENTRAL_WORK_REFUSED]}


def test_a_village_scheme_needs_no_central_work(world):
    made = create(world.user("town_official"), level="village", rows=indicators("work", 40, 40))

    assert made.level == "village"


def test_the_api_refuses_a_cooperative_scheme_whose_central_work_ties_with_a_400_naming_indicators(world):
    data = {
        "division": w.TOWN,
        "level": "cooperative",
        "period": "2026",
        "name": "经济社考核",
        "indicators": indicators(CENTRAL_WORK, 40, 40),
        "grades": GRADES,
        "excellent_share": 20,
    }

    tie = client_as("town_official").post(reverse("api:scheme-list"), data, format="json")
    data["indicators"] = indicators(CENTRAL_WORK, 41, 40)
    one_more = client_as("town_official").post(reverse("api:scheme-list"), data, format="json")

    assert tie.status_code == 400
    assert tie.json() == {"indicators": [CENTRAL_WORK_REFUSED]}
    assert one_more.status_code == 201
    assert one_more.json()["warnings"] == [] and one_more.json()["community_workers"] is False


# --- residents' satisfaction in a scheme assessing community workers ---------------------------------


@pytest.mark.parametrize(("satisfaction", "other", "warned"), [(39, 40, True), (40, 40, True), (41, 40, False)])
def test_a_community_workers_scheme_says_so_when_satisfaction_is_not_the_heaviest(world, satisfaction, other, warned):
    made = create(
        world.user("town_official"),
        level="village",
        rows=indicators(RESIDENTS_SATISFACTION, satisfaction, other),
        community_workers=True,
    )

    assert made.community_workers is True  # kept either way
    assert bool(made.warnings) is warned
    if warned:
        assert "群众满意度" in made.warnings[0] and RESIDENTS_SATISFACTION in made.warnings[0]


def test_a_community_workers_scheme_without_a_satisfaction_indicator_says_so(world):
    made = create(world.user("town_official"), level="village", rows=indicators("work", 60, 40), community_workers=True)

    assert len(made.warnings) == 1


def test_a_scheme_not_assessing_community_workers_says_nothing_of_satisfaction(world):
    made = create(world.user("town_official"), level="village", rows=indicators("work", 60, 40))

    assert made.warnings == []


def test_only_a_village_scheme_assesses_community_workers(world):
    with pytest.raises(ValidationError) as refused:
        create(world.user("town_official"), rows=indicators(CENTRAL_WORK, 60, 40), community_workers=True)

    assert "community_workers" in refused.value.message_dict


def test_the_schemes_api_detail_lists_its_warnings_and_community_workers_is_optional(world):
    data = {
        "division": w.TOWN,
        "level": "village",
        "period": "2026",
        "name": "社区工作者考核",
        "indicators": indicators(RESIDENTS_SATISFACTION, 40, 40),
        "grades": GRADES,
        "excellent_share": 20,
        "community_workers": True,
    }
    official = client_as("town_official")

    created = official.post(reverse("api:scheme-list"), data, format="json")
    detail = official.get(reverse("api:scheme-detail", args=[created.json()["id"]]))
    del data["community_workers"]
    plain = official.post(reverse("api:scheme-list"), data, format="json")

    assert created.status_code == 201
    assert detail.json()["community_workers"] is True
    assert len(detail.json()["warnings"]) == 1 and "群众满意度" in detail.json()["warnings"][0]
    assert plain.status_code == 201
    assert (plain.json()["community_workers"], plain.json()["warnings"]) == (False, [])


def test_the_scheme_page_shows_its_warning(world):
    made = scheme(
        w.TOWN,
        indicators=((RESIDENTS_SATISFACTION, 40, "entered"), ("work", 40, "entered"), ("rest", 20, "entered")),
        community_workers=True,
    )
    fine = scheme(
        w.TOWN,
        indicators=((RESIDENTS_SATISFACTION, 41, "entered"), ("work", 40, "entered"), ("rest", 19, "entered")),
        community_workers=True,
        period="2025",
    )
    client = signed_in_client(get_user_model().objects.get(username="town_official"))

    warned = client.get(reverse("supervision:scheme", args=[made.pk])).text
    not_warned = client.get(reverse("supervision:scheme", args=[fine.pk])).text

    assert 'id="scheme-warnings"' in warned and "群众满意度" in warned
    assert 'id="scheme-warnings"' not in not_warned


def test_the_scheme_list_with_warnings_costs_the_same_queries_for_1_or_several_schemes(world):
    rows = ((RESIDENTS_SATISFACTION, 40, "entered"), ("work", 40, "entered"), ("rest", 20, "entered"))
    scheme(w.TOWN, period="2026", indicators=rows, community_workers=True)
    few, rows_few = queries_and_rows(client_as("district_admin"), reverse("api:scheme-list"))
    for year in range(2020, 2024):
        scheme(w.OTHER_TOWN, period=str(year), indicators=rows, community_workers=True)
    many, rows_many = queries_and_rows(client_as("district_admin"), reverse("api:scheme-list"))

    assert (rows_few, rows_many) == (1, 5)
    assert few == many <= 6


def test_the_scheme_editor_shows_the_central_work_refusal_above_the_indicators(world):
    client = signed_in_client(get_user_model().objects.get(username="town_official"))
    post = {
        "name": "经济社考核",
        "level": "cooperative",
        "period": "2026",
        "excellent": "90",
        "good": "80",
        "passing": "60",
        "excellent_share": "20",
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
        "indicators-0-code": CENTRAL_WORK,
        "indicators-0-name": "中心工作",
        "indicators-0-weight": "50",
        "indicators-0-source": "entered",
        "indicators-1-code": "other",
        "indicators-1-name": "其他",
        "indicators-1-weight": "50",
        "indicators-1-source": "entered",
    }

    response = client.post(reverse("supervision:scheme_create", args=[w.TOWN]), post)

    assert response.status_code == 200
    assert 'id="indicator-errors"' in response.text and CENTRAL_WORK_REFUSED in response.text
    assert not Scheme.objects.exists()
