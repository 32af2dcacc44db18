"""In-portal notifications: written once per recipient and key, e-mailed where a mail server is
configured, listed to their own recipient only, read once shown, counted on the home page."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.notifications import Notice, Notification, notify, send_notices
from governance.testing.pages import queries_for, signed_in_client

pytestmark = pytest.mark.django_db


def test_notify_writes_one_notification_per_user_and_a_second_call_with_the_same_key_writes_none(world):
    clerk, official = world.user("village_clerk"), world.user("town_official")

    first = notify([clerk, official.pk], key="due:1", message="第一条", url="/somewhere/")
    again = notify([clerk, official], key="due:1", message="第一条", url="/somewhere/")

    assert {notice.recipient_id for notice in first} == {clerk.pk, official.pk}
    assert again == []
    assert Notification.objects.filter(key="due:1").count() == 2
    assert Notification.objects.get(recipient=clerk, key="due:1").url == "/somewhere/"


def test_send_notices_writes_many_keys_in_one_statement(world):
    clerk = world.user("village_clerk")
    notices = [Notice(clerk.pk, f"key:{index}", f"消息 {index}") for index in range(5)]

    with CaptureQueriesContext(connection) as captured:
        send_notices(notices)

    statements = [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert len(statements) == 1
    assert Notification.objects.filter(recipient=clerk).count() == 5


def test_a_notification_links_only_inside_the_portal(world):
    with pytest.raises(ValueError):
        notify([world.user("village_clerk")], key="x", message="m", url="https://example.com/")


def test_no_email_is_sent_without_a_mail_server(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    clerk = world.user("village_clerk")
    clerk.email = "clerk@example.cn"
    clerk.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify([clerk], key="k", message="消息")

    assert mail.outbox == []


def test_with_a_mail_server_the_newly_notified_get_an_email_once(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = "smtp.example.cn"
    settings.PORTAL_URL = "https://portal.example.cn/"
    clerk, official = world.user("village_clerk"), world.user("town_official")
    clerk.email = "clerk@example.cn"
    clerk.save()
    official.email = ""
    official.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify([clerk, official], key="k", message="请按期公开", url="/supervision/disclosures/")
    with django_capture_on_commit_callbacks(execute=True):
        notify([clerk, official], key="k", message="请按期公开", url="/supervision/disclosures/")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["clerk@example.cn"]
    assert "请按期公开" in mail.outbox[0].body
    assert "https://portal.example.cn/supervision/disclosures/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
        ({"EMAIL_PORT": "70000"}, "EMAIL_PORT"),
        ({"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS"),
        ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_USE_SSL"),
        ({"EMAIL_HOST": "smtp.example.cn", "DEFAULT_FROM_EMAIL": "portal"}, "DEFAULT_FROM_EMAIL"),
        ({"PORTAL_URL": "portal.example.cn"}, "PORTAL_URL"),
    ],
)
def test_a_bad_mail_setting_stops_the_settings_with_its_name(monkeypatch, variables, named):
    import importlib

    import governance.settings

    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=named):
        importlib.reload(governance.settings)
    for name in variables:
        monkeypatch.delenv(name)
    importlib.reload(governance.settings)


def test_the_page_lists_the_users_own_notifications_newest_first_and_marks_them_read(world):
    clerk = world.user("village_clerk")
    notify([clerk], key="old", message="较早的提醒", url="/old/")
    notify([clerk], key="new", message="较新的提醒", url="/new/")
    notify([world.user("town_official")], key="other", message="别人的提醒")

    response = signed_in_client(clerk).get(reverse("notifications"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("较新的提醒") < page.index("较早的提醒")
    assert "别人的提醒" not in page
    assert 'href="/new/"' in page
    assert not Notification.objects.filter(recipient=clerk, read_at__isnull=True).exists()
    assert Notification.objects.get(key="other").read_at is None


def test_the_outsider_sees_no_notification_and_the_anonymous_visitor_is_sent_to_sign_in(world):
    notify([world.user("village_clerk")], key="k", message="文书的提醒")

    outsider = signed_in_client(world.outsider).get(reverse("notifications"))
    anonymous = signed_in_client(None).get(reverse("notifications"))

    assert outsider.status_code == 200
    assert "文书的提醒" not in outsider.content.decode()
    assert anonymous.status_code == 302


def test_the_home_page_counts_the_unread_notifications_until_they_are_read(world):
    clerk = world.user("village_clerk")
    client = signed_in_client(clerk)
    notify([clerk], key="a", message="甲")
    notify([clerk], key="b", message="乙")

    before = client.get(reverse("home")).content.decode()
    client.get(reverse("notifications"))
    after = client.get(reverse("home")).content.decode()

    assert 'id="pending-notifications"' in before
    assert "2" in before.split('id="pending-notifications"')[1].split("</div>")[0]
    assert 'id="pending-notifications"' not in after


def test_the_page_costs_the_same_queries_for_one_notification_as_for_several(world):
    clerk = world.user("village_clerk")
    client = signed_in_client(clerk)
    notify([clerk], key="k0", message="提醒 0")
    one = queries_for(client, reverse("notifications"))
    Notification.objects.update(read_at=None)
    for index in range(1, 6):
        notify([clerk], key=f"k{index}", message=f"提醒 {index}")

    assert queries_for(client, reverse("notifications")) == one


def test_every_signed_in_page_links_to_the_users_notifications(world):
    from django.urls import reverse

    from governance.testing.pages import signed_in_client

    page = signed_in_client(world.user("village_clerk")).get(reverse("home"))

    assert 'id="notifications-link"' in page.text and reverse("notifications") in page.text
