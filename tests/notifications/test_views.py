"""The notification page: own notifications only, unread first; marking read; the bell."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from trithuc.notifications.models import Notification

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


def note(user, title, key=None, **fields):
    return Notification.objects.create(
        recipient=user, kind="reminder", title=title, key=key or title, **fields
    )


@pytest.fixture
def alice(tree, make_staff):
    return make_staff("plan_coordinator", tree["dept_a"])


@pytest.fixture
def bob(tree, make_staff):
    return make_staff("plan_coordinator", tree["dept_a"])


def bell(page: str) -> str:
    pattern = r'<a class="nav-link" href="/notifications/" id="notification-bell">(.*?)</a>'
    match = re.search(pattern, page, re.S)
    assert match, "no bell in the navigation bar"
    return match.group(1)


def test_the_page_shows_only_own_notifications_unread_first(alice, bob, client_for):
    from django.utils import timezone

    note(alice, "Thông báo đã đọc của Alice", read_at=timezone.now())
    note(alice, "Thông báo mới của Alice", body="• Báo cáo Quý 2/2025", url="/plans/tasks/")
    note(bob, "Thông báo của Bob")
    response = client_for(alice).get(reverse("notifications:notification_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thông báo của Bob" not in page
    assert page.index("Thông báo mới của Alice") < page.index("Thông báo đã đọc của Alice")
    assert "• Báo cáo Quý 2/2025" in page and 'href="/plans/tasks/"' in page
    assert page.count("Đánh dấu đã đọc</button>") == 1
    assert "Đánh dấu tất cả đã đọc" in page


def test_a_superuser_sees_only_their_own_too(alice, db):
    from tests.factories import UserFactory

    root = UserFactory(is_superuser=True)
    note(alice, "Riêng của Alice")
    assert list(Notification.objects.restrict(root)) == []
    assert list(Notification.objects.restrict(alice)) == [Notification.objects.get()]


def test_the_page_is_paginated(alice, client_for):
    for i in range(35):
        note(alice, f"Nhắc hạn số {i}")
    client = client_for(alice)
    first = client.get(LIST).content.decode()
    assert "Trang 1 / 2" in first
    assert "Nhắc hạn số 34" in first and "Nhắc hạn số 0<" not in first
    assert "Nhắc hạn số 0<" in client.get(LIST + "?page=2").content.decode()


def test_mark_one_read(alice, bob, client_for):
    mine, theirs = note(alice, "Của Alice"), note(bob, "Của Bob")
    client = client_for(alice)
    url = reverse("notifications:notification_read", args=[mine.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    mine.refresh_from_db()
    assert mine.read_at is not None
    # Someone else's: not found, and left unread.
    other = reverse("notifications:notification_read", args=[theirs.pk])
    assert client.post(other).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_goes_back_to_a_page_of_this_site_only(alice, client_for):
    client = client_for(alice)
    url = reverse("notifications:notification_read", args=[note(alice, "Một").pk])
    assert client.post(url, {"next": "/plans/tasks/"})["Location"] == "/plans/tasks/"
    url = reverse("notifications:notification_read", args=[note(alice, "Hai").pk])
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == LIST


def test_mark_all_read(alice, bob, client_for):
    note(alice, "Một"), note(alice, "Hai"), note(bob, "Của Bob")
    client = client_for(alice)
    response = client.post(reverse("notifications:notification_read_all"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=bob).read_at is None


def test_marking_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    mine = note(alice, "Của Alice")
    assert (
        client.post(reverse("notifications:notification_read", args=[mine.pk])).status_code == 403
    )
    assert client.post(reverse("notifications:notification_read_all")).status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


def test_anonymous_users_are_sent_to_sign_in(db):
    response = Client().get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "notification-bell" not in Client().get("/accounts/login/").content.decode()


def test_the_bell_counts_unread_notifications(alice, bob, client_for):
    client = client_for(alice)
    assert "badge" not in bell(client.get("/").content.decode())
    note(alice, "Một"), note(alice, "Hai"), note(bob, "Của Bob")
    html = bell(client.get("/").content.decode())
    assert '<span class="badge rounded-pill text-bg-warning" aria-hidden="true">2</span>' in html
    assert "Thông báo (2 chưa đọc)" in html
    client.post(reverse("notifications:notification_read_all"))
    assert "badge" not in bell(client.get("/").content.decode())


def test_the_bell_shows_99_plus(alice, client_for):
    Notification.objects.bulk_create(
        [Notification(recipient=alice, kind="reminder", title="x", key=str(i)) for i in range(120)]
    )
    assert ">99+</span>" in bell(client_for(alice).get("/").content.decode())
