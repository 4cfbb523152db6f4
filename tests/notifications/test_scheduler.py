"""The scheduler: the daily work queued once a day at TRITHUC_DAILY_AT, whatever fails."""

import json
import os
import signal
import subprocess
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from trithuc.notifications.models import Notification, ScheduledRun
from trithuc.notifications.scheduler import DAILY_TASKS, Scheduler, daily_at

ROOT = Path(__file__).resolve().parents[2]
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
REMINDERS = "trithuc.plans.reminders.daily_plan_reminders"
MISSING = "trithuc.plans.reminders.no_such_task"

pytestmark = pytest.mark.django_db


def at(day, hour, minute):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI)


def test_the_daily_hour_comes_from_the_settings(settings):
    assert daily_at() == time(6, 30)
    settings.TRITHUC_DAILY_AT = "21:05"
    assert daily_at() == time(21, 5)
    settings.TRITHUC_DAILY_AT = "sáng sớm"
    with pytest.raises(Exception, match="TRITHUC_DAILY_AT"):
        daily_at()


def test_daily_tasks_are_queued_once_a_day_at_the_hour():
    scheduler = Scheduler()
    day = date(2025, 6, 23)
    assert scheduler.tick(at(day, 6, 29)) == {}
    assert not ScheduledRun.objects.exists()
    assert scheduler.tick(at(day, 6, 30)) == dict.fromkeys(DAILY_TASKS, "queued")
    assert scheduler.tick(at(day, 6, 31)) == {}
    assert scheduler.tick(at(day, 23, 59)) == {}
    # A restarted scheduler (a new object) does not queue them again the same day.
    assert Scheduler().tick(at(day, 12, 0)) == {}
    assert Scheduler().tick(at(day + timedelta(days=1), 6, 45)) == dict.fromkeys(
        DAILY_TASKS, "queued"
    )
    assert ScheduledRun.objects.count() == 2 * len(DAILY_TASKS)


def test_a_scheduler_started_late_runs_what_today_missed():
    # Started at 14:00, after the hour: it queues at once.
    assert Scheduler().tick(at(date(2025, 6, 23), 14, 0)) == dict.fromkeys(DAILY_TASKS, "queued")


def test_a_failing_task_is_logged_and_the_others_still_run(caplog, settings):
    settings.TRITHUC_DAILY_TASKS = [MISSING, REMINDERS]
    scheduler = Scheduler()
    day = date(2025, 6, 23)
    assert scheduler.tick(at(day, 7, 0)) == {MISSING: "failed", REMINDERS: "queued"}
    assert "could not be queued" in caplog.text
    assert list(ScheduledRun.objects.values_list("name", flat=True)) == [REMINDERS]
    # Tried again ten minutes later, not at every check.
    assert scheduler.tick(at(day, 7, 5)) == {}
    assert scheduler.tick(at(day, 7, 11)) == {MISSING: "failed"}


def test_a_task_that_fails_while_running_does_not_stop_the_scheduler(monkeypatch, settings):
    settings.TRITHUC_DAILY_TASKS = [REMINDERS, "trithuc.registry.tasks.refresh_people"]

    def broken(today):
        raise RuntimeError("lỗi thử")

    monkeypatch.setattr("trithuc.plans.reminders.send_plan_reminders", broken)
    outcome = Scheduler().tick(at(date(2025, 6, 23), 7, 0))
    assert set(outcome.values()) == {"queued"}


def test_the_daily_task_sends_todays_reminders(tree, make_staff, settings):
    from trithuc.plans.models import PlanDocument, PlanTask

    settings.TRITHUC_DAILY_TASKS = [REMINDERS]
    coordinator = make_staff("plan_coordinator", tree["dept_a"])
    plan = PlanDocument.objects.create(kind="plan", title="Kế hoạch", organization=tree["dept_b"])
    today = timezone.localdate()
    PlanTask.objects.create(
        document=plan, content="Nhiệm vụ trễ hạn", lead=tree["dept_a"], lead_text="Sở Nội vụ",
        deadline_kind="date", due=today - timedelta(days=1),
    )  # fmt: skip
    Scheduler(at=time(0, 0)).tick()
    (late,) = Notification.objects.filter(recipient=coordinator, kind="overdue")
    assert "Nhiệm vụ trễ hạn" in late.body


def test_the_command_checks_once(settings):
    settings.TRITHUC_DAILY_AT = "00:00"
    settings.TRITHUC_DAILY_TASKS = [REMINDERS]
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    lines = out.getvalue().splitlines()
    assert "00:00" in lines[0] and "Asia/Ho_Chi_Minh" in lines[0]
    assert json.loads(lines[1])["task"] == REMINDERS
    assert json.loads(lines[1])["status"] == "queued"
    assert lines[-1] == "Bộ hẹn giờ đã dừng."


def test_the_command_survives_a_failing_check(monkeypatch, caplog):
    def broken(self, now=None):
        raise RuntimeError("cơ sở dữ liệu không trả lời")

    monkeypatch.setattr(Scheduler, "tick", broken)
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "Scheduler check failed" in caplog.text
    assert out.getvalue().splitlines()[-1] == "Bộ hẹn giờ đã dừng."


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_scheduler_stops_cleanly_on_a_signal(tmp_path, sig):
    # A separate process on an empty database: every check fails (no tables), is logged, and
    # the loop goes on until the signal.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trithuc.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'scheduler.sqlite3'}",
        "TRITHUC_DAILY_AT": "00:00",
    }
    process = subprocess.Popen(
        [sys.executable, "-u", "manage.py", "run_scheduler", "--interval", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert "Bộ hẹn giờ Trí Thức" in process.stdout.readline()
        clock.sleep(2.5)  # a few failing checks
        assert process.poll() is None, process.stderr.read()
        process.send_signal(sig)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "Bộ hẹn giờ đã dừng." in stdout
    assert "Scheduler check failed" in stderr
    assert "Traceback" in stderr  # logged with the cause
