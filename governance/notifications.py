"""In-portal notifications (站内提醒): a message to one user with a link, shown on /notifications/
and counted on the home page, and sent by e-mail too where the portal has a mail server
(EMAIL_HOST, governance/settings.py).

Any app notifies through `notify()`, usually from a Celery beat task (issue 9: reminders before
deadlines). A notification is not scoped by division: it belongs to its recipient, and only the
recipient reads it. Each carries a `key`, unique per recipient, naming what it is about
("disclosure-due:12:2026-07-01"): a task that runs twice, or is redelivered, notifies nobody twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.audit import track_history

logger = logging.getLogger(__name__)

# A notification's key: what it is about, unique per recipient (idempotence of the beat tasks).
KEY_LENGTH = 200


@track_history
class Notification(models.Model):
    """One message to one user: its text, where it leads, when it was written and read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("提醒标识"), max_length=KEY_LENGTH)
    message = models.CharField(_("提醒内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("提醒时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内提醒")
        verbose_name_plural = _("站内提醒")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_one_per_key")]
        indexes = [
            # The unread count on the home page.
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Notice:
    """One notification to write: to whom (a user id), about what (`key`), saying what, linking where."""

    recipient_id: int
    key: str
    message: str
    url: str = ""


def notify(users: Iterable, *, key: str, message: str, url: str = "") -> list[Notice]:
    """Notify each user (user objects or ids) once about `key` (send_notices)."""
    return send_notices(Notice(getattr(user, "pk", user), key, str(message), url) for user in users)


def send_notices(notices: Iterable[Notice]) -> list[Notice]:
    """Write the notices in one INSERT ... ON CONFLICT DO NOTHING: a recipient already notified
    about a key is skipped. With a mail server configured (EMAIL_HOST), the recipients newly
    notified who have an e-mail address also get an e-mail once the transaction commits. Answers
    the notices written (those not written before)."""
    notices = list({(notice.recipient_id, notice.key): notice for notice in notices}.values())
    for notice in notices:
        if notice.url and not notice.url.startswith("/"):
            raise ValueError(f"a notification links inside the portal (a path starting with /), not {notice.url!r}")
    if not notices:
        return []
    table = Notification._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (recipient_id, key, message, url, created_at)
            SELECT recipient_id, key, message, url, %s
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS notice (recipient_id, key, message, url)
            ON CONFLICT (recipient_id, key) DO NOTHING
            RETURNING recipient_id, key
            """,
            [
                timezone.now(),
                [notice.recipient_id for notice in notices],
                [notice.key for notice in notices],
                [str(notice.message) for notice in notices],
                [notice.url for notice in notices],
            ],
        )
        fresh = {tuple(row) for row in cursor.fetchall()}
        written = [notice for notice in notices if (notice.recipient_id, notice.key) in fresh]
        if written and settings.EMAIL_HOST:
            transaction.on_commit(lambda: _send_mail(written))
    return written


def _send_mail(notices: list[Notice]) -> None:
    from django.contrib.auth import get_user_model

    addresses = dict(
        get_user_model()
        .objects.filter(pk__in={notice.recipient_id for notice in notices}, is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    subject = str(_("村级治理门户提醒"))
    portal = settings.PORTAL_URL.rstrip("/")
    mails = [
        (
            subject,
            f"{notice.message}\n\n{portal}{notice.url}" if notice.url and portal else notice.message,
            settings.DEFAULT_FROM_EMAIL,
            [addresses[notice.recipient_id]],
        )
        for notice in notices
        if notice.recipient_id in addresses
    ]
    if not mails:
        return
    try:
        send_mass_mail(mails, fail_silently=False)
    except OSError:
        # The notification is in the portal already; a mail server that is down loses only the e-mail.
        logger.exception("could not send %d notification e-mails", len(mails))


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
