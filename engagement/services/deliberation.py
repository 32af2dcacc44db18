"""Deliberation: a topic proposed from the catalogue, pre-reviewed by another (预审, four eyes),
deliberated in a meeting with its outcome, and linked to the decision it led to."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engagement.choices import Outcome, TopicStatus
from engagement.models import BodyMember, CatalogueEntry, DeliberationBody, Meeting, Topic
from engagement.services.actions import EngagementAction
from governance.audit import acting_as
from governance.guards import not_in_the_future, require_another_user, require_permission_at
from villages.models import Division, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def form_body(
    *, village: Division, acting_user: AbstractBaseUser, name: str, formed_on: datetime.date, rules: str = ""
) -> DeliberationBody:
    """The body of a village or community (议事会), one each (Jiangsu 一: every village has one)."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.FORM_BODY):
        require_permission_at(acting_user, "engagement.add_deliberationbody", village.code)
        if DeliberationBody.objects.filter(division=village).exists():
            raise ValidationError({"division": [_("该村（社区）已有议事协商组织。")]})
        body = DeliberationBody(division=village, name=name, formed_on=formed_on, rules=rules)
        body.full_clean()
        body.save()
        return body


def add_catalogue_entry(
    *, district: Division, acting_user: AbstractBaseUser, title: str, description: str = "", active: bool = True
) -> CatalogueEntry:
    """A topic of the district's guiding catalogue (指导目录), kept by the district: titles unique."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.ADD_CATALOGUE_ENTRY):
        require_permission_at(acting_user, "engagement.add_catalogueentry", district.code)
        if CatalogueEntry.objects.filter(district=district, title=title).exists():
            raise ValidationError({"title": [_("本区的指导目录已有该议题类别。")]})
        entry = CatalogueEntry(district=district, title=title, description=description, active=active)
        entry.full_clean()
        entry.save()
        return entry


def propose_topic(
    *,
    acting_user: AbstractBaseUser,
    body: DeliberationBody,
    entry: CatalogueEntry,
    title: str,
    proposed_on: datetime.date,
) -> Topic:
    """A topic from the district's guiding catalogue (指导目录), proposed to the body."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.PROPOSE_TOPIC):
        require_permission_at(acting_user, "engagement.add_topic", body.division_id)
        not_in_the_future("proposed_on", proposed_on)
        if not entry.active:
            raise ValidationError({"entry": [_("该目录类别已停用。")]})
        topic = Topic(body=body, entry=entry, title=title, proposed_on=proposed_on, proposed_by=acting_user)
        topic.full_clean()
        topic.save()
        return topic


def review_topic(
    topic: Topic, *, acting_user: AbstractBaseUser, approved: bool, reviewed_on: datetime.date, note: str = ""
) -> Topic:
    """预审: another user who may review topics where the body lies approves or rejects it."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.REVIEW_TOPIC):
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        require_permission_at(acting_user, "engagement.review_topic", topic.body.division_id)
        require_another_user(topic.proposed_by_id, acting_user)
        if topic.status != TopicStatus.PROPOSED:
            raise ValidationError(
                {"status": [_("该议题已预审（当前状态：%(status)s）。") % {"status": topic.get_status_display()}]}
            )
        not_in_the_future("reviewed_on", reviewed_on)
        if reviewed_on < topic.proposed_on:
            raise ValidationError({"reviewed_on": [_("预审日期不能早于提出日期。")]})
        if not approved and not note.strip():
            raise ValidationError({"note": [_("预审未通过须说明理由。")]})
        topic.status = TopicStatus.APPROVED if approved else TopicStatus.REJECTED
        topic.reviewed_on = reviewed_on
        topic.reviewed_by = acting_user
        topic.review_note = note
        topic.save()
        return topic


def deliberate(topic: Topic, *, acting_user: AbstractBaseUser, meeting: Meeting, outcome: str, decision=None) -> Topic:
    """The body deliberated an approved topic in a meeting; an outcome that needs a decision
    (四议两公开) names the decision once it exists."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.DELIBERATE):
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        require_permission_at(acting_user, "engagement.change_topic", topic.body.division_id)
        if topic.status != TopicStatus.APPROVED:
            raise ValidationError(
                {
                    "status": [
                        _("只有预审通过的议题才能提交协商（当前状态：%(status)s）。")
                        % {"status": topic.get_status_display()}
                    ]
                }
            )
        if meeting.body_id != topic.body_id:
            raise ValidationError({"meeting": [_("会议须是本议事会的会议。")]})
        if meeting.held_on < topic.reviewed_on:
            raise ValidationError({"meeting": [_("协商会议不能早于预审。")]})
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": [_("协商结果无效。")]})
        if decision is not None and outcome != Outcome.NEEDS_DECISION:
            raise ValidationError({"decision": [_("只有需按“四议两公开”决策的议题才关联决策。")]})
        if decision is not None and not decision.division_id.startswith(topic.body.division_id):
            raise ValidationError({"decision": [_("决策须是本村（社区）的决策。")]})
        topic.status = TopicStatus.DELIBERATED
        topic.meeting = meeting
        topic.outcome = outcome
        topic.decision = decision
        topic.save()
        return topic


def add_member(*, body: DeliberationBody, acting_user: AbstractBaseUser, person_id: int, role: str = "") -> BodyMember:
    """A person registered in the body's village (or one of its cooperatives) joins the body, once."""
    with transaction.atomic(), acting_as(acting_user, action=EngagementAction.ADD_BODY_MEMBER):
        require_permission_at(acting_user, "engagement.add_bodymember", body.division_id)
        person = Person.objects.filter(pk=person_id, division__code__startswith=body.division_id).first()
        if person is None:
            raise ValidationError({"person": [_("成员须是本村（社区）登记的人员。")]})
        if BodyMember.objects.filter(body=body, person=person).exists():
            raise ValidationError({"person": [_("该人员已是议事会成员。")]})
        return BodyMember.objects.create(body=body, person=person, role=role)
