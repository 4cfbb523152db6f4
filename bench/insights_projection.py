"""Projection benchmark: the workforce projection to 2045 of 1,000,000 people (≤ 5 s, ≤ 1 GB).

    python -m bench projection [--people N]     (default 1,000,000)

Seeds the Hà Nội demo tree (seed_demo) if missing, then tops the registry up to N people.
The registry's seeder (trithuc/registry/demo.py) writes each person with sub-records and
history, about 1,000 people a second here: 1,000,000 would take a quarter of an hour. The
projection reads only summary columns of `registry_person`, so the extra people are written
through the seeder's own bulk path (`demo._Table`, executemany on SQLite, COPY on PostgreSQL)
with those columns filled the way the seeder fills them (retirement date by
`derived.retirement_date`), text of a real record's width in the others (the scan reads as
much as on real data), the rest at their defaults: no sub-records, no history.

Then, for a scenario of the whole city (extension, attrition, inflows, demand), in a fresh
process so that its memory is the projection's own: the projection to 2045 three times
(p50 and each run), and the peak memory of one more run — tracemalloc's peak of Python
allocations during the projection, and the process's peak resident size (ru_maxrss, which
includes Django itself) with its growth during the projection.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

TIME_TARGET_S = 5.0
MEMORY_TARGET_MB = 1024.0
DEFAULT_PEOPLE = 1_000_000
TO_YEAR = 2045
CITY_CODE = "UBND"
SCENARIO_NAME = "Kịch bản đo hiệu năng"
BATCH = 50_000
ROOT = Path(__file__).resolve().parent.parent

# Shares of the summary columns (plausible, after docs/DOMAIN.md: TS a few percent of the
# workforce, GS/PGS among the doctors).
DEGREES = [("DH", 55), ("THS", 30), ("TS", 7), ("TSKH", 0.5), ("BSCKII", 1.5), ("BSCKI", 3),
           ("CD", 2), ("", 1)]  # fmt: skip
STATUSES = [("working", 92), ("retired", 6), ("abroad", 2)]


def verdict(value: float, target: float) -> str:
    return "OK" if value <= target else "OVER"


def run(people: int = DEFAULT_PEOPLE) -> None:
    from django.db import connection

    print(f"projection ({connection.vendor}):")
    city = _tree()
    _top_up(people, city)
    scenario = _scenario(city)
    from trithuc.registry.models import Person

    at_work = Person.objects.filter(status="working").count()
    print(f"  {Person.objects.count():,} people in the registry, {at_work:,} at work")
    connection.close()
    child = subprocess.run(  # noqa: S603 (this module, with a number: no outside input)
        [sys.executable, "-m", "bench.insights_projection", "--measure", str(scenario.pk)],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        print(child.stdout, child.stderr)
        raise SystemExit("the projection's measuring process failed")
    result = json.loads(child.stdout.strip().splitlines()[-1])
    runs = ", ".join(f"{s:.2f}" for s in result["runs_s"])
    p50 = result["p50_s"]
    print(
        f"  projection to {TO_YEAR} of {result['base_stock']:,.0f} people at work "
        f"({result['cohort_rows']:,} grouped rows): p50 {p50:.2f} s (runs {runs} s; CPU "
        f"p50 {result['cpu_p50_s']:.2f} s; the GROUP BY alone {result['group_by_s']:.2f} s) "
        f"(target ≤ {TIME_TARGET_S:.0f} s): {verdict(p50, TIME_TARGET_S)}"
    )
    peak = max(result["tracemalloc_peak_mb"], result["rss_growth_mb"])
    print(
        f"  projection memory: tracemalloc peak {result['tracemalloc_peak_mb']:.1f} MB, "
        f"process peak RSS {result['rss_peak_mb']:.0f} MB (Django included; "
        f"+{result['rss_growth_mb']:.0f} MB over Django's own) "
        f"(target ≤ {MEMORY_TARGET_MB:.0f} MB): "
        f"{verdict(max(peak, result['rss_peak_mb']), MEMORY_TARGET_MB)}"
    )


def _tree() -> Any:
    from django.core.management import call_command

    from trithuc.organizations.models import Organization

    if not Organization.objects.filter(code=CITY_CODE).exists():
        with tempfile.TemporaryDirectory(prefix="trithuc-bench-") as tmp:
            call_command(
                "seed_demo", accounts_file=str(Path(tmp) / "accounts.txt"), stdout=io.StringIO()
            )
    return Organization.objects.get(code=CITY_CODE)


def _top_up(people: int, city: Any) -> None:
    """Add people until there are `people`, through the seeder's bulk path, summary columns
    only (see the module's docstring)."""
    from django.db import transaction
    from django.utils import timezone

    from trithuc.core.fakes import vietnamese_full_name
    from trithuc.core.text import fold, vietnamese_name_collation_key
    from trithuc.organizations.models import Organization
    from trithuc.registry import derived
    from trithuc.registry.demo import SOURCE_DETAIL, _Table
    from trithuc.registry.models import CURRENT_FIELD_VERSION, FieldOfScience, Person

    missing = people - Person.objects.count()
    if missing <= 0:
        return
    start = time.perf_counter()
    rng = random.Random(2045)
    from faker import Faker

    faker = Faker("vi_VN")
    faker.seed_instance(2045)
    names = []
    for i in range(400):
        name = vietnamese_full_name(faker, female=i % 2 == 1)
        names.append((name, fold(name), vietnamese_name_collation_key(name)))
    units = list(
        Organization.objects.filter(path__startswith=city.path, is_active=True)
        .exclude(pk=city.pk)
        .values_list("pk", flat=True)
    )
    fields = list(
        FieldOfScience.objects.filter(version=CURRENT_FIELD_VERSION, level=2).values_list(
            "pk", flat=True
        )
    )
    degrees, degree_weights = zip(*DEGREES, strict=True)
    statuses, status_weights = zip(*STATUSES, strict=True)
    now = timezone.now()
    table = _Table(
        Person,
        constants={
            "source": "import",
            "source_detail": SOURCE_DETAIL,
            "recorded_at": now,
            "created_at": now,
        },
    )
    # Text of the width real records carry (ciphertext of the citizen ID, its hash, address,
    # e-mail, keywords: about 300 characters with the names), so the scan reads as much.
    streets = ["Lê Văn Lương", "Xuân Thủy", "Giải Phóng", "Nguyễn Trãi", "Kim Mã", "Láng Hạ"]
    topics = ["trí tuệ nhân tạo", "y tế công cộng", "quy hoạch đô thị", "giáo dục", "hóa sinh"]
    first = Person.objects.count()
    retires: dict[tuple[str, date], date | None] = {}
    today = timezone.localdate()
    oldest = today - timedelta(days=66 * 365)
    span = 66 * 365 - 23 * 365
    written = 0
    while written < missing:
        size = min(BATCH, missing - written)
        rows: list[_Row] = []
        for _i in range(size):
            gender = "female" if rng.random() < 0.52 else "male"
            birth = oldest + timedelta(days=rng.randrange(span))
            key = (gender, birth)
            if key not in retires:
                retires[key] = derived.retirement_date(gender, birth)
            degree = rng.choices(degrees, degree_weights)[0]
            title = ""
            if degree in ("TS", "TSKH") and rng.random() < 0.25:
                title = "GS" if rng.random() < 0.15 else "PGS"
            name, folded, sort_key = names[rng.randrange(len(names))]
            serial = first + written + len(rows)
            digest = hashlib.sha256(f"bench-projection-{serial}".encode()).hexdigest()
            rows.append(
                _Row(
                    full_name=name,
                    folded_name=folded,
                    sort_key=sort_key,
                    birth_date=birth,
                    gender=gender,
                    status=rng.choices(statuses, status_weights)[0],
                    sector="public_service",
                    organization_id=units[rng.randrange(len(units))],
                    degree_group=degree,
                    title=title,
                    primary_field_id=fields[rng.randrange(len(fields))]
                    if rng.random() < 0.97
                    else None,
                    retirement_date=retires[key],
                    updated_at=now,
                    citizen_id_hash=digest,
                    citizen_id_encrypted="enc1:gAAAAA" + (digest * 2)[:95],
                    citizen_id_last=str(serial % 1000).zfill(3),
                    address=f"Số {rng.randint(1, 200)} đường {rng.choice(streets)}",
                    email=f"{folded.replace(' ', '.')}{serial % 997}@example.invalid"
                    if rng.random() < 0.6
                    else "",
                    keywords=rng.choice(topics) if rng.random() < 0.5 else "",
                )
            )
        with transaction.atomic():
            table.insert(rows)
        written += size
    seconds = time.perf_counter() - start
    print(f"  added {missing:,} people (no sub-records, no history) in {seconds:.0f} s")


class _Row:
    """A person as `_Table` reads it: attributes by attname."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def _scenario(city: Any) -> Any:
    from trithuc.insights.models import Scenario

    inflows = [
        {"field": field, "year": year, "count": 400, "degree": degree, "age": age,
         "female_share": 0.5}
        for year in range(2026, 2046)
        for field, degree, age in (("1", "TS", 32), ("2", "THS", 27), ("3", "BSCKII", 35),
                                   ("5", "DH", 23))
    ]  # fmt: skip
    demand = [
        {"field": field, "year": year, "count": 150_000}
        for field in ("1", "2", "3", "4", "5", "6")
        for year in (2030, 2045)
    ]
    scenario, _created = Scenario.objects.update_or_create(
        organization=city,
        name=SCENARIO_NAME,
        defaults={
            "extension_years": 5,
            "extension_share": 30,
            "attrition": {"TS": 1.0, "TSKH": 0.5, "THS": 2.0, "*": 2.5},
            "inflows": inflows,
            "demand": demand,
        },
    )
    return scenario


def measure(scenario_pk: int) -> dict[str, Any]:
    """In a fresh process: three timed projections, then one under tracemalloc."""
    import resource
    import tracemalloc

    from trithuc.insights import projection as p
    from trithuc.insights.models import Scenario

    scenario = Scenario.objects.select_related("organization").get(pk=scenario_pk)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Django, no projection
    samples, cpu = [], []
    result = None
    for _i in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = p.project_scenario(scenario, to_year=TO_YEAR)
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    assert result is not None
    start = time.perf_counter()
    rows = p.grouped_people(p.people_at_work(organization=scenario.organization))
    group_by = time.perf_counter() - start
    cohort_rows = len(rows)
    del rows[:]  # keep the count only
    tracemalloc.start()
    p.project_scenario(scenario, to_year=TO_YEAR)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "runs_s": samples,
        "p50_s": statistics.median(samples),
        "cpu_p50_s": statistics.median(cpu),
        "group_by_s": group_by,
        "cohort_rows": cohort_rows,
        "base_stock": result.base_stock,
        "tracemalloc_peak_mb": peak / 2**20,
        "rss_peak_mb": rss_after / 1024,  # Linux reports kilobytes
        "rss_growth_mb": (rss_after - rss_before) / 1024,
    }


if __name__ == "__main__":
    # The measuring process started by run(): same database (DATABASE_URL), same settings.
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trithuc.test_settings")
    import django

    django.setup()
    print(json.dumps(measure(int(sys.argv[sys.argv.index("--measure") + 1]))))
