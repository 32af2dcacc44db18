"""The engagement demo written into the database (engagement/demo/plan.py says what it holds).

Set-based, in the load's transaction and under its audit context (source="load_demo"): what the
plan draws from is read in a few queries (`read_world`); each model's rows are one bulk_create,
the thousands of visits, kept contacts and point entries one COPY each. The audit triggers record
every row.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Min, Q

from engagement.choices import CentreLevel
from engagement.demo.plan import (
    NO_BODY,
    RULES,
    SCORE_IN_TOWN_SCHEME,
    TOWN_OFFICIAL,
    VILLAGE_CLERK,
    Decision,
    EngagementPlan,
    Person,
    Village,
    World,
    build_plan,
)
from engagement.demo.scheme import add_engagement_indicators
from engagement.models import (
    BodyMember,
    CatalogueEntry,
    ContactDay,
    ContactLink,
    DeliberationBody,
    Drill,
    EmergencyPlan,
    KeptContact,
    Meeting,
    OperatingFund,
    PointEntry,
    PointRule,
    PostClaim,
    ServiceCentre,
    ServicePost,
    Topic,
    Visit,
    VisitingCadre,
)
from governance import clock
from governance.access.models import Assignment, Role
from governance.audit import acting_as, keep_audit_triggers_linear
from governance.bulk_load import copy_rows
from rights_lists.models import Decision as DecisionModel
from villages.choices import TWO_COMMITTEE_POSITIONS, Level
from villages.demo.plan import DISTRICT_CODE, TOWN_CODE
from villages.models import Division, Household, PartyMembership, Position
from villages.models import Person as PersonModel

VILLAGE_CLERK_ROLE = "village_clerk"


def load_demo_engagement() -> str:
    """Write the engagement part of the demo; returns the one-line summary load_demo prints."""
    with acting_as(None, source="load_demo"):
        with connection.cursor() as cursor:
            keep_audit_triggers_linear(cursor)
        today = clock.today()
        plan = build_plan(read_world(today), today)
        write_plan(plan)
    scheme = add_engagement_indicators(today) if SCORE_IN_TOWN_SCHEME else ""
    counts = plan.counts()
    return (
        f"联系服务 / engagement: 狮山镇 {len({link.village for link in plan.links})} 个村（社区）"
        f"{counts['links']} 条挂钩 links, {counts['contact_days']} 次直联日 contact days; "
        f"{counts['cadres']} 名走访干部 visiting cadres, {counts['visits']} 次走访 visits, "
        f"{counts['kept_contacts']} 个联系对象 kept contacts; {counts['bodies']} 个议事会 bodies "
        f"({len(NO_BODY)} 个村未建 without), {counts['meetings']} 次会议 meetings, {counts['topics']} 个议题 topics; "
        f"{counts['posts']} 个服务岗 posts, {counts['claims']} 次认岗 claims, {counts['points']} 条积分 point entries; "
        f"{counts['centres']} 个党群服务中心 centres, {counts['funds']} 笔运转经费 funds, "
        f"{counts['emergency_plans']} 个应急预案 plans, {counts['drills']} 次演练 drills."
        + (f" {scheme}。" if scheme else "")
    )


def read_world(today: datetime.date) -> World:
    """狮山镇's villages with their cooperatives, households, people (party members and current
    cadres of the two committees marked) and the rights lists demo's decisions, if loaded (six
    queries)."""
    in_town = {"division__code__startswith": TOWN_CODE}
    cooperatives: dict[str, list[str]] = {}
    for code, parent in (
        Division.objects.filter(code__startswith=TOWN_CODE, level=Level.COOPERATIVE, retired_on__isnull=True)
        .order_by("code")
        .values_list("code", "parent_id")
    ):
        cooperatives.setdefault(parent, []).append(code)
    villages = [
        Village(code, name, tuple(cooperatives.get(code, ())))
        for code, name in Division.objects.filter(parent_id=TOWN_CODE, level=Level.VILLAGE, retired_on__isnull=True)
        .order_by("code")
        .values_list("code", "name")
    ]
    households: dict[str, list[tuple[int, str]]] = {}
    for pk, division in Household.objects.filter(**in_town).order_by("id").values_list("id", "division_id"):
        households.setdefault(division[:12], []).append((pk, division))
    memberships = dict(
        PartyMembership.objects.filter(branch__code__startswith=TOWN_CODE).values_list("person_id", "id")
    )
    cadres = set(
        Position.objects.filter(**in_town, kind__in=TWO_COMMITTEE_POSITIONS, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .values_list("person_id", flat=True)
    )
    adult_born_by = today.replace(year=today.year - 18, day=1)
    people = [
        Person(
            id=pk,
            village=division[:12],
            household=household,
            adult=born <= adult_born_by,
            membership=memberships.get(pk),
            cadre=pk in cadres,
        )
        for pk, division, household, born in PersonModel.objects.filter(**in_town)
        .order_by("id")
        .values_list("id", "division_id", "household_id", "birth_date")
    ]
    decisions = [
        Decision(pk, division, title, first)
        for pk, division, title, first in DecisionModel.objects.filter(**in_town)
        .annotate(first=Min("steps__held_on"))
        .order_by("id")
        .values_list("id", "division_id", "title", "first")
    ]
    return World(villages=villages, households=households, people=people, decisions=decisions)


def write_plan(plan: EngagementPlan) -> None:
    users = _users(plan)
    _write_contact(plan)
    _write_visits(plan, users)
    _write_deliberation(plan, users)
    _write_party(plan)
    _write_centres(plan)


def _users(plan: EngagementPlan) -> dict[str, int]:
    """The generated village clerks (the demo's password, from the `village_clerk` sign-in), each
    assigned the village clerk role over their village; returns username → id of every user the
    plan names."""
    User = get_user_model()
    named = {TOWN_OFFICIAL, VILLAGE_CLERK}
    users = dict(User.objects.filter(username__in=named).values_list("username", "id"))
    missing = named - set(users)
    if missing:
        raise RuntimeError(f"演示账号缺失 / demo sign-ins missing: {', '.join(sorted(missing))}")
    password = User.objects.filter(username=VILLAGE_CLERK).values_list("password", flat=True).get()
    clerks = sorted(plan.clerks.items())
    created = User.objects.bulk_create(
        User(username=username, last_name=last, first_name=first, password=password)
        for username, (last, first) in clerks
    )
    role = Role.objects.get(slug=VILLAGE_CLERK_ROLE)
    Assignment.objects.bulk_create(
        Assignment(user=user, division_id=username.removeprefix("vc_"), role=role)
        for user, (username, _name) in zip(created, clerks, strict=True)
    )
    users.update((user.username, user.pk) for user in created)
    return users


def _write_contact(plan: EngagementPlan) -> None:
    ContactLink.objects.bulk_create(
        ContactLink(
            division_id=link.village,
            kind=link.kind,
            holder=link.holder,
            title=link.title,
            since=link.since,
            until=link.until,
        )
        for link in plan.links
    )
    ContactDay.objects.bulk_create(
        ContactDay(
            division_id=day.division,
            held_on=day.held_on,
            attendees=day.attendees,
            matters_raised=day.matters_raised,
            matters_settled=day.matters_settled,
        )
        for day in plan.contact_days
    )


def _write_visits(plan: EngagementPlan, users: dict[str, int]) -> None:
    cadres = VisitingCadre.objects.bulk_create(
        VisitingCadre(
            division_id=cadre.division,
            name=cadre.name,
            level=cadre.level,
            user_id=users[cadre.user] if cadre.user else None,
            term_started_on=cadre.term_started_on,
        )
        for cadre in plan.cadres
    )
    Linked = VisitingCadre.villages.through
    Linked.objects.bulk_create(
        Linked(visitingcadre_id=row.pk, division_id=code)
        for row, cadre in zip(cadres, plan.cadres, strict=True)
        for code in cadre.villages
    )
    recorder = users[TOWN_OFFICIAL]
    copy_rows(
        Visit,
        ("division", "visitor", "household", "visited_on", "raised", "outcome", "recorded_by"),
        (
            (visit.division, cadres[visit.cadre].pk, visit.household, visit.visited_on, visit.raised)
            + (visit.outcome, recorder)
            for visit in plan.visits
        ),
    )
    copy_rows(
        KeptContact,
        ("person", "kind", "household", "contact_name", "since"),
        (
            (contact.person, contact.kind, contact.household, contact.contact_name, contact.since)
            for contact in plan.kept_contacts
        ),
    )


def _write_deliberation(plan: EngagementPlan, users: dict[str, int]) -> None:
    entries = CatalogueEntry.objects.bulk_create(
        CatalogueEntry(district_id=DISTRICT_CODE, title=title, description=description, active=active)
        for title, description, active in plan.catalogue
    )
    entry_ids = {entry.title: entry.pk for entry in entries}
    bodies = DeliberationBody.objects.bulk_create(
        DeliberationBody(division_id=body.village, name=body.name, rules=RULES, formed_on=body.formed_on)
        for body in plan.bodies
    )
    BodyMember.objects.bulk_create(
        BodyMember(body_id=row.pk, person_id=person, role=role)
        for row, body in zip(bodies, plan.bodies, strict=True)
        for person, role in body.members
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            body_id=bodies[meeting.body].pk,
            held_on=meeting.held_on,
            attendance=meeting.attendance,
            minutes=meeting.minutes,
        )
        for meeting in plan.meetings
    )
    Topic.objects.bulk_create(
        Topic(
            body_id=bodies[topic.body].pk,
            entry_id=entry_ids[topic.entry],
            title=topic.title,
            proposed_on=topic.proposed_on,
            proposed_by_id=users[topic.proposed_by],
            status=topic.status,
            reviewed_on=topic.reviewed_on,
            reviewed_by_id=users[topic.reviewed_by] if topic.reviewed_by else None,
            review_note=topic.review_note,
            meeting_id=meetings[topic.meeting].pk if topic.meeting is not None else None,
            outcome=topic.outcome,
            decision_id=topic.decision,
        )
        for topic in plan.topics
    )


def _write_party(plan: EngagementPlan) -> None:
    posts = ServicePost.objects.bulk_create(
        ServicePost(division_id=post.village, name=post.name, duty=post.duty) for post in plan.posts
    )
    PostClaim.objects.bulk_create(
        PostClaim(
            post_id=posts[claim.post].pk,
            member_id=claim.membership,
            claimed_on=claim.claimed_on,
            left_on=claim.left_on,
        )
        for claim in plan.claims
    )
    PointRule.objects.bulk_create(
        PointRule(district_id=DISTRICT_CODE, activity=activity, points=points, description=description)
        for activity, (points, description) in plan.point_rules.items()
    )
    copy_rows(
        PointEntry,
        ("member", "activity", "points", "earned_on", "note"),
        ((row.membership, row.activity, row.points, row.earned_on, row.note) for row in plan.points),
    )


def _write_centres(plan: EngagementPlan) -> None:
    ServiceCentre.objects.bulk_create(
        ServiceCentre(
            division_id=centre.village,
            level=CentreLevel.VILLAGE,
            area_m2=centre.area_m2,
            service_area_m2=centre.service_area_m2,
            households_served=centre.households_served,
        )
        for centre in plan.centres
    )
    OperatingFund.objects.bulk_create(
        OperatingFund(division_id=fund.village, year=fund.year, amount_fen=fund.amount_fen) for fund in plan.funds
    )
    emergency_plans = EmergencyPlan.objects.bulk_create(
        EmergencyPlan(
            division_id=row.village, title=row.title, adopted_on=row.adopted_on, people_trained=row.people_trained
        )
        for row in plan.emergency_plans
    )
    Drill.objects.bulk_create(
        Drill(
            plan_id=emergency_plans[drill.plan].pk,
            held_on=drill.held_on,
            participants=drill.participants,
            note=drill.note,
        )
        for drill in plan.drills
    )
