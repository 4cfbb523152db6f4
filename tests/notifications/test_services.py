"""notify(): one row per recipient and key, one e-mail task after commit."""

import pytest
from django.core import mail

from tests.factories import UserFactory
from trithuc.notifications.models import Notification
from trithuc.notifications.services import mark_all_read, notify, unread_count

pytestmark = pytest.mark.django_db


def send(users, key="plans:reminder:2025-06-23", **kwargs):
    fields = {
        "kind": "reminder",
        "title": "Nhắc hạn: 1 việc của kế hoạch hành động sắp đến hạn",
        "body": "• Báo cáo Quý 2/2025",
        "url": "/plans/tasks/",
        **kwargs,
    }
    return notify(users, key=key, **fields)


def test_notify_creates_one_row_per_recipient_and_never_twice(
    django_capture_on_commit_callbacks,
):
    a, b = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = send([a, b, a])
    assert len(created) == 2 and len(callbacks) == 1  # one e-mail task for both
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send([a, b]) == []
    assert callbacks == [] and len(mail.outbox) == 2
    # Another key is another notification.
    assert len(send([a], key="plans:reminder:2025-06-29")) == 1
    assert Notification.objects.filter(recipient=a).count() == 2


def test_inactive_users_and_users_without_address(django_capture_on_commit_callbacks):
    gone = UserFactory(is_active=False)
    no_mail = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = send([gone, no_mail])
    assert [n.recipient for n in created] == [no_mail]
    assert callbacks == [] and mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_email_is_sent_only_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send([user])
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None


def test_email_text(settings, django_capture_on_commit_callbacks):
    settings.TRITHUC_SITE_URL = "https://trithuc.hanoi.gov.vn"
    user = UserFactory(full_name="Nguyễn Văn An")
    with django_capture_on_commit_callbacks(execute=True):
        send([user], title="Quá hạn:\n2 việc")  # a line break never reaches the subject
    (message,) = mail.outbox
    assert message.subject == "[Trí Thức] Quá hạn: 2 việc"
    assert message.to == [user.email]
    assert message.body.startswith("Kính gửi Nguyễn Văn An,")
    assert "Xem chi tiết: https://trithuc.hanoi.gov.vn/plans/tasks/" in message.body
    assert "https://trithuc.hanoi.gov.vn/notifications/" in message.body


def test_a_failing_address_does_not_stop_the_others(
    monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage

    good, bad = UserFactory(), UserFactory(email="hong@example.invalid")
    real_send = EmailMessage.send

    def flaky(self, *args, **kwargs):
        if self.to == [bad.email]:
            raise OSError("SMTP refused")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        send([good, bad])
    assert [m.to for m in mail.outbox] == [[good.email]]
    assert Notification.objects.get(recipient=good).emailed_at is not None
    assert Notification.objects.get(recipient=bad).emailed_at is None


def test_a_key_is_required():
    with pytest.raises(ValueError):
        send([UserFactory()], key="")


def test_unread_count_is_one_query(django_assert_num_queries):
    user = UserFactory()
    send([user])
    send([user], key="other")
    mark_all_read(user=UserFactory())  # another user's: no effect on this one
    with django_assert_num_queries(1):
        assert unread_count(user) == 2
    assert mark_all_read(user=user) == 2
    assert unread_count(user) == 0
