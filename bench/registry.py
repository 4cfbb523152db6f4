"""Registry benchmark: seed 200,000 synthetic people (trithuc/registry/demo.py), then the
server time of the pages a city data steward uses most, each against its target.

Run by `python -m bench` after the organisation part, or alone: `python -m bench registry`
(`--people N` for a quicker run). Django must be set up and migrated by the caller.
"""

from __future__ import annotations

import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED_TARGET_S = 180.0
LIST_TARGET_MS = 300.0
DETAIL_TARGET_MS = 100.0
REQUESTS = 30
PAGE_SIZE = 50  # the person list's
# The Hà Nội demo tree (seed_demo): people go under the city's People's Committee, where the
# benchmark's data steward sees all of them.
CITY_CODE = "UBND"

# (label, query string) of the person list; `{within}` is a department's code, `{page5}` the
# fifth page, or the last if there are fewer.
LIST_QUERIES = [
    ("unfiltered", ""),
    ("TS, women", "?degree=TS&gender=female"),
    ("name search 'nguyen van'", "?q=nguyen+van"),
    ("department subtree, aged 40-49", "?within={within}&age_band=40-49"),
    ("field 102 (computer science)", "?field=102"),
    ("international integration training since 2020", "?training=international_integration&training_from=2020"),  # noqa: E501
    ("GS/PGS, page {page5}", "?title=GS&title=PGS&page={page5}"),
]  # fmt: skip
WITHIN_CODE = "SYT"  # Sở Y tế: the hospitals are below it


def verdict(value: float, target: float) -> str:
    return "OK" if value <= target else "OVER"


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 (nearest rank) of `samples`, in the samples' unit."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def time_requests(get: Callable[[str], Any], paths: list[str]) -> list[float]:
    """Wall time of each GET in milliseconds (after one untimed warm-up of the first path)."""
    get(paths[0])
    samples = []
    for path in paths:
        start = time.perf_counter()
        response = get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def explain_slowest(client: Any, path: str) -> None:
    """For a page over its target: its queries, the slowest with the database's plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    total = sum(float(q["time"]) for q in queries) * 1000
    print(f"    {len(queries)} queries, {total:.0f} ms in the database; the slowest:")
    for query in queries[:2]:
        print(f"    {float(query['time']) * 1000:.0f} ms: {query['sql'][:600]}")
    sql = queries[0]["sql"] if queries else ""
    if sql.startswith("SELECT"):
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("      plan:", " ".join(str(v) for v in row))


def run(people: int = 200_000, requests: int = REQUESTS) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client, RequestFactory

    from trithuc.accounts.models import User
    from trithuc.accounts.services import membership_grant, totp_enrol
    from trithuc.organizations.models import Organization
    from trithuc.registry.demo import seed_people
    from trithuc.registry.filtersets import PersonFilterSet
    from trithuc.registry.models import SUB_RECORD_MODELS, Person

    print(f"registry ({connection.vendor}):")
    with tempfile.TemporaryDirectory(prefix="trithuc-bench-") as tmp:
        call_command(
            "seed_demo", accounts_file=str(Path(tmp) / "accounts.txt"), stdout=io.StringIO()
        )
    city = Organization.objects.get(code=CITY_CODE)
    units = list(
        Organization.objects.filter(path__startswith=city.path, is_active=True).exclude(pk=city.pk)
    )

    before = Person.objects.count()
    start = time.perf_counter()
    seed_people(people, organizations=units, seed=45)
    seconds = time.perf_counter() - start
    records = sum(model.objects.count() for model in SUB_RECORD_MODELS)
    total = Person.objects.count()
    assert total == before + people
    target = SEED_TARGET_S * people / 200_000
    print(
        f"  seed {people:,} people ({records:,} sub-records, history included): {seconds:.1f} s"
        f" (target ≤ {target:.0f} s): {verdict(seconds, target)}"
    )

    steward = User.objects.create_user("bench.registry.steward")
    membership_grant(user=steward, organization=city, role="data_steward", acting_user=None)
    totp_enrol(user=steward)
    settings.ALLOWED_HOSTS = ["testserver"]
    # Server time as in production: without DEBUG's query log.
    settings.DEBUG = False
    client = Client()
    client.force_login(steward)
    request = RequestFactory().get("/people/")
    request.user = steward

    for label, query in LIST_QUERIES:
        # The rows the page lists (and a check that the filter is understood: a filter the
        # form refuses would time an empty page).
        params = QueryDict(query.format(within=WITHIN_CODE, page5=1).lstrip("?"))
        filterset = PersonFilterSet(params or None, queryset=Person.objects.all(), request=request)
        assert not params or filterset.is_valid(), (label, filterset.form.errors)
        rows = filterset.qs.count() if params else total
        last_page = max(1, -(-rows // PAGE_SIZE))
        query = query.format(within=WITHIN_CODE, page5=min(5, last_page))
        label = label.format(page5=min(5, last_page))
        path = f"/people/{query}"
        p50, p95 = percentiles(time_requests(client.get, [path] * requests))
        print(
            f"  person list, {label} ({rows:,} rows): p50 {p50:.0f} ms, p95 {p95:.0f} ms"
            f" (target p95 ≤ {LIST_TARGET_MS:.0f} ms): {verdict(p95, LIST_TARGET_MS)}"
        )
        if p95 > LIST_TARGET_MS:
            explain_slowest(client, path)

    pks = list(Person.objects.values_list("pk", flat=True))
    sample = random.Random(7).sample(pks, requests)
    p50, p95 = percentiles(time_requests(client.get, [f"/people/{pk}/" for pk in sample]))
    print(
        f"  person detail, {requests} random people: p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        f" (target p95 ≤ {DETAIL_TARGET_MS:.0f} ms): {verdict(p95, DETAIL_TARGET_MS)}"
    )
    if p95 > DETAIL_TARGET_MS:
        explain_slowest(client, f"/people/{sample[0]}/")

    path = "/api/people/?degree=TS"
    if client.get(path).status_code == 200:
        p50, p95 = percentiles(time_requests(client.get, [path] * requests))
        print(
            f"  API {path}: p50 {p50:.0f} ms, p95 {p95:.0f} ms"
            f" (target p95 ≤ {LIST_TARGET_MS:.0f} ms): {verdict(p95, LIST_TARGET_MS)}"
        )
        if p95 > LIST_TARGET_MS:
            explain_slowest(client, path)
