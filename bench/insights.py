"""Insights benchmark: the statistics dashboard's server time and each of its aggregates
against the same hand-written SQL GROUP BY, timed in the same run (ratio ≤ 1.5).

    python -m bench insights [--people N]     (default 200,000; the issue asks 1,000,000 on
                                               PostgreSQL: scripts/postgres-test.sh
                                               .venv/bin/python -m bench insights --people 1000000)

Seeds the Hà Nội demo tree and N people (bench/registry.py's seeding), then, as the city's
data steward (who sees everyone): each aggregate by its ORM function and by raw SQL, the
whole dashboard page, the dashboard as of a past date, and the yearly report.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

DASHBOARD_TARGET_MS = 1000.0
RATIO_TARGET = 1.5
REPORT_TARGET_S = 10.0
REQUESTS = 10
CITY_CODE = "UBND"


def best_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Median of `repeat` runs in ms, after one warm-up run (caches, plans)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def hand_sql(vendor: str, on: Any, *, whole: bool) -> dict[str, str]:
    """The GROUP BY a person would write for each aggregate, with the same scope (the city's
    subtree) and the same status filter."""
    from trithuc.insights.aggregates import PYRAMID_BANDS
    from trithuc.registry.filtersets import AGE_BANDS, birth_range

    def case(bands: list) -> str:
        parts = []
        for value, _label, lowest, highest in bands:
            earliest, latest = birth_range(lowest, highest, on)
            parts.append(
                f"WHEN p.birth_date BETWEEN '{earliest.isoformat()}' AND '{latest.isoformat()}' "
                f"THEN '{value}'"
            )
        return "CASE " + " ".join(parts) + " ELSE '' END"

    # The data steward's scope as a person would write it: the city's subtree (or, when the
    # city is the only top-level organisation, everyone with a workplace).
    if whole:
        scope = (
            "FROM registry_person p WHERE p.status = 'working' AND p.organization_id IS NOT NULL"
        )
    else:
        scope = (
            "FROM registry_person p WHERE p.status = 'working' AND p.organization_id IN "
            "(SELECT id FROM organizations_organization WHERE path LIKE %s)"
        )
    return {
        "title": f"SELECT p.title, COUNT(*) {scope} GROUP BY p.title",
        "degree": f"SELECT p.degree_group, COUNT(*) {scope} GROUP BY p.degree_group",
        "gender": f"SELECT p.gender, COUNT(*) {scope} GROUP BY p.gender",
        "sector": f"SELECT p.sector, COUNT(*) {scope} GROUP BY p.sector",
        "field (levels 1 and 2)": (
            f"SELECT p.primary_field_id, COUNT(*) {scope} GROUP BY p.primary_field_id"
        ),
        "unit and administrative unit": (
            f"SELECT p.organization_id, COUNT(*) {scope} GROUP BY p.organization_id"
        ),
        "age band": f"SELECT {case(AGE_BANDS)} AS band, COUNT(*) {scope} GROUP BY band",
        "age pyramid": (
            f"SELECT p.gender, {case(PYRAMID_BANDS)} AS band, COUNT(*) {scope} "
            "GROUP BY p.gender, band"
        ),
        "degree × field": (
            f"SELECT p.degree_group, p.primary_field_id, COUNT(*) {scope} "
            "GROUP BY p.degree_group, p.primary_field_id"
        ),
        "the dashboard's one scan (cube)": (
            f"SELECT p.title, p.degree_group, p.gender, p.sector, p.primary_field_id, "
            f"{case(PYRAMID_BANDS)} AS band5, COUNT(*) {scope} GROUP BY 1, 2, 3, 4, 5, 6"
        ),
    }


def run(people: int = 200_000) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.utils import timezone

    from trithuc.accounts.models import User
    from trithuc.accounts.services import membership_grant, totp_enrol
    from trithuc.insights import aggregates as agg
    from trithuc.organizations.models import Organization
    from trithuc.registry.demo import seed_people
    from trithuc.registry.models import Person

    print(f"insights ({connection.vendor}):")
    if not Organization.objects.filter(code=CITY_CODE).exists():
        with tempfile.TemporaryDirectory(prefix="trithuc-bench-") as tmp:
            call_command(
                "seed_demo", accounts_file=str(Path(tmp) / "accounts.txt"), stdout=io.StringIO()
            )
    city = Organization.objects.get(code=CITY_CODE)
    missing = people - Person.objects.count()
    if missing > 0:
        units = list(
            Organization.objects.filter(path__startswith=city.path, is_active=True).exclude(
                pk=city.pk
            )
        )
        start = time.perf_counter()
        seed_people(missing, organizations=units, seed=46)
        print(f"  seeded {missing:,} people in {time.perf_counter() - start:.0f} s")
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: statistics, and the visibility map that
        # lets index-only scans skip the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    working = Person.objects.filter(status="working").count()
    print(f"  people: {Person.objects.count():,} ({working:,} at work, counted)")

    steward = User.objects.create_user(f"bench.insights.{time.time_ns()}")
    membership_grant(user=steward, organization=city, role="data_steward", acting_user=None)
    totp_enrol(user=steward)
    request = RequestFactory().get("/insights/")
    request.user = steward
    population, _filterset = agg.population(steward, request=request)
    today = timezone.localdate()
    fields = agg.fields_of_science()
    names = agg.degree_names()

    orm: dict[str, Callable[[], Any]] = {
        "title": lambda: agg.by_title(population),
        "degree": lambda: agg.by_degree(population, names),
        "gender": lambda: agg.by_gender(population),
        "sector": lambda: agg.by_sector(population),
        "field (levels 1 and 2)": lambda: agg.by_field(population, fields),
        "unit and administrative unit": lambda: agg.by_unit(population, city),
        "age band": lambda: agg.by_age_band(population, today),
        "age pyramid": lambda: agg.age_pyramid(population, today),
        "degree × field": lambda: agg.degree_by_field(population, names, fields),
        "the dashboard's one scan (cube)": lambda: agg.Cube(population, today),
    }
    whole = not Organization.objects.filter(depth=0).exclude(pk=city.pk).exists()
    raw = hand_sql(connection.vendor, today, whole=whole)
    print(f"  scope: {'every person with a workplace' if whole else 'the city subtree'}")
    worst = 0.0
    for name, fn in orm.items():

        def by_hand(query: str = raw[name]) -> None:
            with connection.cursor() as cursor:
                cursor.execute(query, [] if whole else [city.path + "%"])
                cursor.fetchall()

        ours = best_of(fn)
        theirs = best_of(by_hand)
        ratio = ours / theirs if theirs else 1.0
        worst = max(worst, ratio)
        print(
            f"  aggregate {name}: {ours:.0f} ms, hand-written SQL {theirs:.0f} ms, ratio "
            f"{ratio:.2f} (target ≤ {RATIO_TARGET}): {verdict(ratio <= RATIO_TARGET)}"
        )

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    client = Client()
    client.force_login(steward)
    for label, path in [
        ("dashboard", "/insights/"),
        ("dashboard's trends panel (fetched after the page)", "/insights/trends/"),
        ("dashboard, women with a doctorate", "/insights/?gender=female&degree=TS"),
        ("cross-tab degree × field", "/insights/crosstab/?rows=degree&columns=field"),
        ("API summary", "/api/insights/summary/"),
    ]:
        assert client.get(path).status_code == 200, path
        samples = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - start) * 1000)
        p50 = statistics.median(samples)
        p95 = sorted(samples)[int(0.95 * (len(samples) - 1))]
        print(
            f"  {label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms"
            f" (target ≤ {DASHBOARD_TARGET_MS:.0f} ms): {verdict(p95 <= DASHBOARD_TARGET_MS)}"
        )
    past = (today.replace(day=1) - timedelta(days=1)).isoformat()
    start = time.perf_counter()
    assert client.get(f"/insights/?as_of={past}").status_code == 200
    print(
        f"  dashboard as of {past} (history): {(time.perf_counter() - start) * 1000:.0f} ms"
        " (no target: a past date reads every person's version history)"
    )
    report_url = _report_url()
    if report_url:
        start = time.perf_counter()
        response = client.get(report_url)
        seconds = time.perf_counter() - start
        print(
            f"  yearly report {report_url}: {seconds:.1f} s, {len(response.content):,} bytes"
            f" (target ≤ {REPORT_TARGET_S:.0f} s): "
            f"{verdict(response.status_code == 200 and seconds <= REPORT_TARGET_S)}"
        )


def _report_url() -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("insights:report") + "?format=docx"
    except NoReverseMatch:
        return None
