"""Benchmarks on a throw-away database (SQLite unless DATABASE_URL is set).

    python -m bench                  organisations, then the registry
    python -m bench organizations    organisations only
    python -m bench registry         registry only (--people N: fewer than 200,000)
    python -m bench insights         statistics: aggregates vs hand-written SQL, dashboard
    python -m bench projection       workforce projection to 2045 (--people N: default 1,000,000)
    python -m bench linkage          duplicate linkage, precision and recall (--people N: default
                                     1,000,000; --threshold P)
    python -m bench intake           staging a 100,000-row agency file (--rows N: fewer)

Organisations: subtree restriction vs the same hand-written SQL (ratio), moving a subtree,
the organisation pages' server time. Registry (bench/registry.py): seeding 200,000 people,
the person list, detail and API server times, each against its target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int = 7) -> float:
    """Median wall time of `fn` in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "part",
        nargs="?",
        choices=["all", "organizations", "registry", "insights", "projection", "linkage", "intake"],
        default="all",
    )
    parser.add_argument("--people", type=int, default=200_000, help="people to seed")
    parser.add_argument("--threshold", type=float, default=None, help="linkage threshold")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the intake file")
    args = parser.parse_args()
    people_given = any(a == "--people" or a.startswith("--people=") for a in sys.argv[1:])

    # The throw-away SQLite database is removed at the end: with the registry it is 800 MB.
    with tempfile.TemporaryDirectory(prefix="trithuc-bench-") as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        os.environ["DJANGO_SETTINGS_MODULE"] = "trithuc.test_settings"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor}")
        if args.part in ("all", "organizations"):
            organizations()
        if args.part in ("all", "registry"):
            from bench import registry

            registry.run(people=args.people)
        if args.part in ("all", "insights"):
            from bench import insights

            insights.run(people=args.people)
        if args.part in ("all", "projection"):
            from bench import insights_projection

            # 1,000,000 people by default (the size for the projection), topped up
            # from what the parts before seeded; --people sets it when this part runs alone.
            people = args.people if args.part == "projection" and people_given else None
            insights_projection.run(people=people or insights_projection.DEFAULT_PEOPLE)
        if args.part in ("all", "linkage"):
            from bench import linkage

            # Synthetic records in memory (not the database): 1,000,000 unless --people is
            # given with this part alone.
            people = args.people if args.part == "linkage" and people_given else None
            linkage.run(people=people or linkage.DEFAULT_PEOPLE, threshold=args.threshold)
        if args.part in ("all", "intake"):
            from bench import intake

            intake.run(rows=args.rows)
        connection.close()


def organizations() -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from trithuc.accounts.models import User
    from trithuc.accounts.services import membership_grant, totp_enrol
    from trithuc.core.permissions import forget_role_paths
    from trithuc.organizations.models import SEGMENT_WIDTH, Organization

    # A city of 20 departments × 50 units × 20 sub-units = 21,021 organisations.
    start = time.perf_counter()
    city = Organization.objects.create(code="CITY", name="Thành phố", type="peoples_committee")
    for d in range(20):
        dept = Organization.objects.create(
            code=f"D{d}", name=f"Sở {d}", type="department", parent=city
        )
        for u in range(50):
            unit = Organization.objects.create(
                code=f"D{d}U{u}", name=f"Đơn vị {d}.{u}", type="other", parent=dept
            )
            subs = Organization.objects.bulk_create(
                [
                    Organization(
                        code=f"D{d}U{u}S{s}",
                        name=f"Phòng {d}.{u}.{s}",
                        folded_name=f"phong {d}.{u}.{s}",  # bulk_create skips save()
                        type="other",
                        parent=unit,
                        depth=unit.depth + 1,
                    )
                    for s in range(20)
                ]
            )
            # bulk_create skips save(): set the materialised paths from the returned keys.
            for sub in subs:
                sub.path = f"{unit.path}{sub.pk:0{SEGMENT_WIDTH}d}/"
            Organization.objects.bulk_update(subs, ["path"])
    total = Organization.objects.count()
    print(f"built {total} organisations in {time.perf_counter() - start:.1f} s")

    dept = Organization.objects.get(code="D3")
    user = User.objects.create_user("bench")
    membership_grant(user=user, organization=dept, role="hr_officer", acting_user=None)
    totp_enrol(user=user)

    def orm_count():
        # Forget the per-request role cache: each call pays for reading the roles, as the
        # hand-written version does.
        forget_role_paths(user)
        return Organization.objects.restrict(user, "view").count()

    def sql_count():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT path FROM accounts_membership m JOIN organizations_organization o"
                " ON o.id = m.organization_id WHERE m.user_id = %s",
                [user.pk],
            )
            prefix = cur.fetchone()[0]
            cur.execute(
                "SELECT COUNT(*) FROM organizations_organization WHERE path LIKE %s", [prefix + "%"]
            )
            return cur.fetchone()[0]

    assert orm_count() == sql_count() == 1 + 50 + 50 * 20
    orm_ms, sql_ms = timed(orm_count, 21), timed(sql_count, 21)
    print(
        f"subtree restrict (1,051 of {total}): ORM {orm_ms:.2f} ms, hand SQL {sql_ms:.2f} ms, "
        f"ratio {orm_ms / sql_ms:.2f}"
    )

    mover = Organization.objects.get(code="D5")
    target = Organization.objects.get(code="D6")

    def move():
        mover.parent = target if mover.parent_id != target.pk else city
        mover.save()

    print(f"move a subtree of 1,051 organisations: {timed(move, 5):.1f} ms")

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(user)
    assert client.get("/organizations/").status_code == 200
    page_ms = timed(lambda: client.get("/organizations/"), 7)
    print(f"organisation tree page (first 200 of 1,051 rows): {page_ms:.1f} ms server time")

    # A city-wide data steward: 21,021 organisations in scope.
    steward = User.objects.create_user("bench.steward")
    membership_grant(user=steward, organization=city, role="data_steward", acting_user=None)
    totp_enrol(user=steward)
    client.force_login(steward)
    unit = Organization.objects.get(code="D7U3")
    for label, path in (
        (f"tree page, city steward (first 200 of {total} rows)", "/organizations/"),
        ("edit form of one organisation", f"/organizations/{unit.pk}/edit/"),
        ("organisation suggestions for 'phong 7.3'", "/organizations/suggestions/?q=phong+7.3"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        ms = timed(lambda path=path: client.get(path), 7)
        print(f"{label}: {ms:.1f} ms server time, {len(response.content):,} bytes")


if __name__ == "__main__":
    main()
