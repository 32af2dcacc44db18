"""The user's own notifications (站内提醒, governance/notifications.py): newest first, those not yet
read marked as new, and read from the moment the page shows them."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import ListView

from governance.notifications import Notification


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "governance/notifications.html"
    paginate_by = 50

    def get_queryset(self):
        # Only the recipient's own: a notification belongs to its recipient, whatever their roles.
        return Notification.objects.filter(recipient=self.request.user).order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = list(context["object_list"])
        unread = [notification.pk for notification in shown if notification.read_at is None]
        if unread:
            # The rows shown keep read_at None for this rendering (marked "new"); stored as read now.
            Notification.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=timezone.now())
        context["object_list"] = shown
        context["unread"] = set(unread)
        return context
