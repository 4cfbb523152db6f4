"""A job queued by the web process is run by the real `db_worker` in another process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ENQUEUE = """
from django.db import transaction
from trithuc.core.jobs import job_enqueue
from tests.core.test_jobs import count_to
with transaction.atomic():
    job = job_enqueue(count_to, acting_user=None, title="Đếm", n=3)
print(job.pk)
"""

READ = """
import json
from trithuc.core.models import Job
job = Job.objects.get()
print(json.dumps({"status": job.status, "done": job.done, "result": job.result}))
"""


def manage(*args, env, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )


def test_db_worker_runs_a_queued_job(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trithuc.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
    }
    env.pop("TRITHUC_TESTING", None)  # the embedded database backend, not the immediate one
    manage("migrate", "-v", "0", env=env)
    manage("shell", "-v", "0", "-c", ENQUEUE, env=env)
    queued = json.loads(manage("shell", "-v", "0", "-c", READ, env=env).stdout)
    assert queued["status"] == "queued"
    manage("db_worker", "--batch", "--no-reload", "--no-startup-delay", env=env)
    done = json.loads(manage("shell", "-v", "0", "-c", READ, env=env).stdout)
    assert done == {"status": "succeeded", "done": 3, "result": {"summary": "Đã đếm đến 3."}}
