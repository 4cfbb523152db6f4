"""Sending notifications: a row per recipient in the app, and an e-mail queued after commit.

notify(users, kind=NotificationKind.OVERDUE, title="…", body="…", url="/plans/tasks/",
       key="plans:overdue:2025-04-02")
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notification

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Trí Thức] "


def _one_line(text: str, limit: int) -> str:
    """A title fit for a mail subject: no line breaks (they would be a header injection)."""
    return " ".join(str(text).split())[:limit]


def notify(
    recipients: Iterable[Any], *, kind: str, title: str, body: str, url: str, key: str
) -> list[Notification]:
    """Create a notification for each active recipient who has not yet had `key`, and queue
    one task that e-mails those with an address (after the transaction commits)."""
    if not key:
        raise ValueError("A notification needs a key (what it is about, to send it once).")
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return []
    already = set(
        Notification.objects.filter(recipient_id__in=people, key=key).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [pk for pk in people if pk not in already]
    if not fresh:
        return []
    title = _one_line(title, 255)
    # ignore_conflicts: a run racing this one has sent it already; the row is not doubled.
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk, kind=kind, title=title, body=body, url=url[:500], key=key[:200]
            )
            for pk in fresh
        ],
        ignore_conflicts=True,
    )
    created = list(
        Notification.objects.filter(
            recipient_id__in=fresh, key=key[:200], emailed_at__isnull=True
        ).select_related("recipient")
    )
    to_email = [n.pk for n in created if n.recipient.email]
    if to_email:
        transaction.on_commit(partial(_queue_emails, to_email), robust=True)
    return created


def _queue_emails(notification_ids: list[int]) -> None:
    send_notification_emails.enqueue(notification_ids=notification_ids)


def absolute_url(url: str) -> str:
    """The link as the recipient's mail program needs it (TRITHUC_SITE_URL + path)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.TRITHUC_SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def email_for(notification: Notification) -> EmailMessage:
    """The plain-text e-mail of one notification, in the site's language (Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Kính gửi %(name)s,") % {"name": notification.recipient},
            "",
            notification.title,
        ]
        if notification.body:
            lines += ["", notification.body]
        if notification.url:
            lines += ["", _("Xem chi tiết: %(url)s") % {"url": absolute_url(notification.url)}]
        lines += [
            "",
            "—",
            _(
                "Thư gửi tự động từ hệ thống Trí Thức; xin đừng trả lời thư này. "
                "Mọi thông báo của bạn: %(url)s"
            )
            % {"url": absolute_url(reverse("notifications:notification_list"))},
        ]
    return EmailMessage(
        subject=SUBJECT_PREFIX + notification.title,
        body="\n".join(lines),
        to=[notification.recipient.email],
    )


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail the given notifications not yet e-mailed; each sent one gets `emailed_at`.

    One message per recipient (never a list of addresses in To:). A failing address is
    logged and left unsent; the others still go."""
    rows = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    sent: list[int] = []
    with get_connection() as connection:
        for notification in rows:
            message = email_for(notification)
            message.connection = connection
            try:
                message.send()
            except Exception:
                logger.exception("E-mail of notification %s failed", notification.pk)
                continue
            sent.append(notification.pk)
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


def mark_read(notification: Notification) -> Notification:
    """The recipient has seen it."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.read_at)
    return notification


def mark_all_read(*, user: Any) -> int:
    """Every unread notification of `user` becomes read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(user: Any) -> int:
    """One COUNT over the (recipient, read_at) index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
