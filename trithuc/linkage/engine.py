"""Record linkage of people: an exact pass on citizen ID, then Splink (DuckDB) on the rest.

Pure data work, no Django: `link(records)` takes a table of people, one row each, and
returns the likely pairs with their match probability and what agreed, and the clusters
they form. The registry's people (`sources.registry_records`) and the benchmark's synthetic
people (`bench/linkage.py`) go through the same function.

The input table has the columns of :data:`INPUT_COLUMNS`; `prepare_records` turns rows of
Python values into it (names through :func:`trithuc.core.text.name_key` and
:func:`~trithuc.core.text.fold`). The model:

- comparisons (each a list of levels, best first, see :data:`COMPARISONS`): the name
  (same spelling after canonical tone placement; the same letters with one side written
  without accents; the same letters with conflicting accents; one or two typing errors),
  the birth date (same day; day and month swapped; same year where one side has only the
  year; one digit off; same year), gender, unit (same unit, same department), degree group,
  field (same field, same group of fields) and citizen ID (only its keyed hash is seen);
- blocking (:data:`BLOCKING_RULES`): only pairs that share one of these keys are scored,
  which keeps a million records to some ten million comparisons;
- parameters: u from random pairs, m by expectation maximisation on two blocks, the prior
  from the pairs that agree on name and birth date.

A citizen ID held by two records makes them one person whatever the rest says (probability
1). Splink's gamma columns say, per comparison, which level a pair reached; `agreement_of`
names it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from trithuc.core.text import fold, name_key

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.8
MIN_RECORDS_FOR_MODEL = 50
# Random pairs sampled to measure u: fewer leave the rarer levels (a name written without
# accents by one side) to a handful of pairs, and the weights vary from run to run.
U_SAMPLE_PAIRS = 5e6
# Below some 10,000 people (5·10^7 pairs), m is not estimated but taken from COMPARISONS.
MIN_PAIRS_FOR_EM = 5e7
RARE_WORD_SHARE = 0.0001
RARE_WORD_MIN = 2

# The columns `link` reads, with their DuckDB types.
INPUT_COLUMNS: dict[str, str] = {
    "unique_id": "BIGINT",
    "name_key": "VARCHAR",  # canonical tones, lower case, accents kept
    "name_fold": "VARCHAR",  # no accents (core.text.fold)
    "birth_date": "DATE",
    "birth_precise": "BOOLEAN",  # false: only the year is known
    "gender": "VARCHAR",
    "unit": "VARCHAR",  # the organisation keeping the record
    "dept": "VARCHAR",  # its department (the organisation below the top level)
    "degree": "VARCHAR",  # degree group (TS, THS, DH…)
    "field": "VARCHAR",  # main field of science, level-2 code ("102")
    "id_hash": "VARCHAR",  # keyed hash of the citizen ID
}

# Agreement of one comparison, for the review page: agree, partly agree, disagree, missing.
AGREE, PARTIAL, DISAGREE, MISSING = "agree", "partial", "disagree", "missing"


@dataclass(frozen=True)
class Level:
    code: str
    sql: str  # a condition on the _l / _r columns, or "ELSE"
    status: str
    m: float  # the share of true pairs at this level, before (or without) training
    tf: str | None = None  # term-frequency adjustment on this column


@dataclass(frozen=True)
class ComparisonSpec:
    name: str  # the gamma column is gamma_<name>
    null_sql: str
    levels: tuple[Level, ...]  # best first, ELSE last

    def codes_by_gamma(self) -> dict[int, tuple[str, str]]:
        """gamma value -> (level code, status); -1 is the null level."""
        top = len(self.levels) - 1
        mapping = {top - i: (lvl.code, lvl.status) for i, lvl in enumerate(self.levels)}
        mapping[-1] = ("missing", MISSING)
        return mapping

    def case_sql(self) -> str:
        """The gamma value as Splink computes it, as one CASE expression."""
        top = len(self.levels) - 1
        parts = [f"WHEN {self.null_sql} THEN -1"]
        for i, lvl in enumerate(self.levels):
            if lvl.sql != "ELSE":
                parts.append(f"WHEN {lvl.sql} THEN {top - i}")
        return f"CASE {' '.join(parts)} ELSE 0 END"


def _both(column: str) -> str:
    return f"{column}_l IS NULL OR {column}_r IS NULL"


def _exact(column: str) -> str:
    return f"{column}_l = {column}_r"


_BOTH_PRECISE = "birth_precise_l AND birth_precise_r"
_CLOSE = "jaro_winkler_similarity(name_fold_l, name_fold_r) >= 0.8"
_LEV = "levenshtein(name_fold_l, name_fold_r)"
_RARE = "(name_rare_l OR name_rare_r)"
_SAME_YEAR = "birth_year_l = birth_year_r"

COMPARISONS: tuple[ComparisonSpec, ...] = (
    ComparisonSpec(
        "name",
        _both("name_fold"),
        (
            Level("exact", _exact("name_key"), AGREE, m=0.55, tf="name_key"),
            # One source wrote the name without accents ("Nguyen Van Hung").
            Level(
                "unaccented",
                f"{_exact('name_fold')} AND (name_key_l = name_fold_l OR name_key_r = name_fold_r)",
                AGREE,
                m=0.2,
                tf="name_fold",
            ),
            # The same letters, accents that disagree ("Hùng" / "Hưng").
            Level("accents_differ", _exact("name_fold"), PARTIAL, m=0.02, tf="name_fold"),
            # One or two letters apart. A typing error mostly makes a word that no one else's
            # name has ("Nguyẽn", "Hnùg"), while one letter also separates two real names
            # ("Hùng", "Dũng"): the first is evidence, the second hardly.
            # Jaro-Winkler (cheap) first: Levenshtein costs ten times as much.
            Level("typo", f"{_CLOSE} AND {_RARE} AND {_LEV} <= 1", PARTIAL, m=0.12),
            Level("one_letter", f"{_CLOSE} AND {_LEV} <= 1", PARTIAL, m=0.03),
            Level("typo2", f"{_CLOSE} AND {_RARE} AND {_LEV} <= 2", PARTIAL, m=0.04),
            Level("different", "ELSE", DISAGREE, m=0.04),
        ),
    ),
    ComparisonSpec(
        "birth",
        _both("birth_date"),
        (
            Level("exact", f"{_exact('birth_date')} AND {_BOTH_PRECISE}", AGREE, m=0.8),
            Level(
                "day_month_swapped",
                f"{_BOTH_PRECISE} AND {_SAME_YEAR} "
                "AND birth_day_l = birth_month_r AND birth_month_l = birth_day_r",
                PARTIAL,
                m=0.04,
            ),
            Level("year_only", f"{_SAME_YEAR} AND NOT ({_BOTH_PRECISE})", PARTIAL, m=0.08),
            Level(
                "one_digit",
                f"{_BOTH_PRECISE} AND hamming(birth_text_l, birth_text_r) <= 1",
                PARTIAL,
                m=0.04,
            ),
            Level("same_year", _SAME_YEAR, PARTIAL, m=0.02),
            Level("different", "ELSE", DISAGREE, m=0.02),
        ),
    ),
    ComparisonSpec(
        "gender",
        _both("gender"),
        (
            Level("exact", _exact("gender"), AGREE, m=0.98),
            Level("different", "ELSE", DISAGREE, m=0.02),
        ),
    ),
    ComparisonSpec(
        "unit",
        _both("unit"),
        (
            Level("exact", _exact("unit"), AGREE, m=0.5),
            Level("same_department", _exact("dept"), PARTIAL, m=0.25),
            Level("different", "ELSE", DISAGREE, m=0.25),
        ),
    ),
    ComparisonSpec(
        "degree",
        _both("degree"),
        (
            Level("exact", _exact("degree"), AGREE, m=0.85),
            Level("different", "ELSE", DISAGREE, m=0.15),
        ),
    ),
    ComparisonSpec(
        "field",
        _both("field"),
        (
            Level("exact", _exact("field"), AGREE, m=0.85),
            Level("same_group", "left(field_l, 1) = left(field_r, 1)", PARTIAL, m=0.08),
            Level("different", "ELSE", DISAGREE, m=0.07),
        ),
    ),
    ComparisonSpec(
        "citizen_id",
        _both("id_hash"),
        (
            Level("exact", _exact("id_hash"), AGREE, m=0.9),
            Level("different", "ELSE", DISAGREE, m=0.1),
        ),
    ),
)
COMPARISON_NAMES = tuple(c.name for c in COMPARISONS)

# Pairs scored by the model: those sharing one of these keys (columns added by
# `_keyed_table`). Each rule lets through one kind of error the others miss:
#   citizen ID                          the exact pass, scored too for its agreements
#   folded name + birth year            accents, tone placement, day/month, date typos
#   birth day (day/month in either order) + first letter of the family name   name typos
#   birth day (either order) + given name                    a typo in the family name
#   folded name + day and month (either order)               a typo in the birth year
BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("id_hash",),
    ("name_fold", "birth_year"),
    ("dm_key", "family_initial"),
    ("dm_key", "given"),
    ("name_fold", "md_key"),
)


@dataclass
class LinkResult:
    """Pairs (one row per pair, lower id on the left) and clusters of the linked people."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, match_weight, method,
    # gamma_<comparison> for each comparison
    clusters: pd.DataFrame  # unique_id, cluster_id (only people in a cluster of two or more)
    records: int
    comparisons: int
    timings: dict[str, float] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def cluster_count(self) -> int:
        return int(self.clusters["cluster_id"].nunique()) if len(self.clusters) else 0


def agreement_of(comparison: str, gamma: int | None) -> tuple[str, str]:
    """(level code, status) of a gamma value of `comparison`."""
    spec = next(c for c in COMPARISONS if c.name == comparison)
    if gamma is None:
        return "missing", MISSING
    return spec.codes_by_gamma().get(int(gamma), ("missing", MISSING))


def agreements_of(row: Any) -> dict[str, dict[str, str]]:
    """{comparison: {"level": code, "status": status}} from a pair's gamma values."""
    result = {}
    for name in COMPARISON_NAMES:
        value = row[f"gamma_{name}"]
        gamma = None if value is None or pd.isna(value) else int(value)
        code, status = agreement_of(name, gamma)
        result[name] = {"level": code, "status": status}
    return result


# ---- input ------------------------------------------------------------------------------------


_NAME_CACHE: dict[str, tuple[str, str]] = {}


def name_keys(full_name: str) -> tuple[str, str]:
    """(name_key, fold) of a name, cached: a city repeats its names many times over."""
    keys = _NAME_CACHE.get(full_name)
    if keys is None:
        if len(_NAME_CACHE) > 2_000_000:
            _NAME_CACHE.clear()
        keys = (name_key(full_name), fold(full_name))
        _NAME_CACHE[full_name] = keys
    return keys


def prepare_records(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The input table from dicts with unique_id, full_name, birth_date (a date),
    birth_precise, gender, unit, dept, degree, field, id_hash (missing values: None or "")."""
    names = ["unique_id", "full_name", "birth_date", "birth_precise", *_OPTIONAL]
    return prepare_frame(pd.DataFrame.from_records(list(rows), columns=names))


_OPTIONAL = ("gender", "unit", "dept", "degree", "field", "id_hash")


def prepare_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The input table from a DataFrame with the columns `prepare_records` reads; names are
    keyed once per distinct name."""
    distinct = pd.Series(frame["full_name"].fillna("").unique())
    keys = dict(zip(distinct, (name_keys(n) for n in distinct), strict=True))
    full = frame["full_name"].fillna("")
    out = pd.DataFrame({"unique_id": frame["unique_id"].astype("int64")})
    out["name_key"] = full.map(lambda n: keys[n][0] or None)
    out["name_fold"] = full.map(lambda n: keys[n][1] or None)
    out["birth_date"] = pd.to_datetime(frame["birth_date"], errors="coerce")
    out["birth_precise"] = frame["birth_precise"].fillna(True).astype(bool)
    for name in _OPTIONAL:
        column = frame[name] if name in frame else pd.Series([None] * len(frame))
        column = column.astype(object).where(column.notna(), None)
        out[name] = column.map(lambda v: None if v in (None, "") else str(v))
    return out


# ---- the run ----------------------------------------------------------------------------------


def _scalar(con: Any, sql: str) -> Any:
    # fetchall: DuckDB keeps a partly fetched result open and refuses the next statement.
    return con.execute(sql).fetchall()[0][0]


def _keyed_table(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """`people`: the input and the blocking keys derived from it."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE people AS
        SELECT
            CAST(unique_id AS BIGINT) AS unique_id,
            name_key, name_fold,
            CAST(birth_date AS DATE) AS birth_date,
            coalesce(birth_precise, true) AND birth_date IS NOT NULL AS birth_precise,
            gender, unit, dept, degree, field, id_hash,
            year(CAST(birth_date AS DATE)) AS birth_year,
            month(CAST(birth_date AS DATE)) AS birth_month,
            day(CAST(birth_date AS DATE)) AS birth_day,
            strftime(CAST(birth_date AS DATE), '%Y%m%d') AS birth_text,
            split_part(name_fold, ' ', 1) AS family,
            left(name_fold, 1) AS family_initial,
            CASE WHEN strpos(name_fold, ' ') > 0
                 THEN regexp_extract(name_fold, '([^ ]+)$', 1) END AS given,
            -- day and month in either order: a swapped date keeps its key
            CASE WHEN coalesce(birth_precise, true) AND birth_date IS NOT NULL THEN
                year(CAST(birth_date AS DATE)) * 10000
                + least(month(CAST(birth_date AS DATE)), day(CAST(birth_date AS DATE))) * 100
                + greatest(month(CAST(birth_date AS DATE)), day(CAST(birth_date AS DATE)))
            END AS dm_key,
            CASE WHEN coalesce(birth_precise, true) AND birth_date IS NOT NULL THEN
                least(month(CAST(birth_date AS DATE)), day(CAST(birth_date AS DATE))) * 100
                + greatest(month(CAST(birth_date AS DATE)), day(CAST(birth_date AS DATE)))
            END AS md_key
        FROM {source}
        """  # noqa: S608 (source is our own table name)
    )
    # A name is "rare" when one of its words is: fewer than one in RARE_WORD_SHARE of the
    # people have it (at least RARE_WORD_MIN). Typing errors make such words.
    count = _scalar(con, "SELECT count(*) FROM people")
    limit = max(RARE_WORD_MIN, int(count * RARE_WORD_SHARE))
    con.execute(
        f"""
        CREATE OR REPLACE TABLE people AS
        WITH words AS (
            SELECT unique_id, unnest(string_split(name_fold, ' ')) AS word FROM people
        ), counts AS (
            SELECT word, count(*) AS n FROM words GROUP BY word
        ), rarity AS (
            SELECT w.unique_id, min(c.n) AS n FROM words w JOIN counts c USING (word)
            GROUP BY w.unique_id
        )
        SELECT p.*, coalesce(r.n, 0) <= {limit} AS name_rare
        FROM people p LEFT JOIN rarity r USING (unique_id)
        """  # noqa: S608
    )


def _settings(prior: float) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on
    from splink import comparison_level_library as cll

    comparisons: list[Any] = []
    for spec in COMPARISONS:
        levels: list[Any] = [cll.CustomLevel(spec.null_sql).configure(is_null_level=True)]
        for lvl in spec.levels:
            level: Any
            if lvl.sql == "ELSE":
                level = cll.ElseLevel()
            elif lvl.tf and lvl.sql == _exact(lvl.tf):
                level = cll.ExactMatchLevel(lvl.tf, term_frequency_adjustments=True)
            elif lvl.tf:
                level = cll.CustomLevel(lvl.sql, label_for_charts=lvl.code).configure(
                    tf_adjustment_column=lvl.tf, tf_adjustment_weight=1.0
                )
            elif spec.name == "citizen_id" and lvl.code == "exact":
                # Random pairs never share a citizen ID: u cannot be sampled, so it is set.
                level = cll.CustomLevel(lvl.sql, label_for_charts=lvl.code).configure(
                    u_probability=1e-9, fix_u_probability=True
                )
            else:
                level = cll.CustomLevel(lvl.sql, label_for_charts=lvl.code)
            levels.append(level.configure(m_probability=lvl.m))
        comparisons.append(cl.CustomComparison(levels, output_column_name=spec.name))
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in BLOCKING_RULES],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
        max_iterations=25,
        em_convergence=0.001,
    )


def _quiet_splink() -> None:
    # Splink reports its progress through logging at INFO; the command prints JSON only.
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.WARNING)


def connect(*, threads: int | None = None, memory_limit: str | None = None) -> Any:
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute("SET memory_limit = ?", [memory_limit])
    con.execute("SET preserve_insertion_order = false")
    return con


def link(
    records: pd.DataFrame | str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    con: Any = None,
    seed: int = 42,
    exclude: Iterable[tuple[int, int]] = (),
) -> LinkResult:
    """Pairs of records that are likely the same person, at `threshold` or above, and the
    clusters they form. `records` is a DataFrame of :data:`INPUT_COLUMNS`, or the name of a
    table with them in `con` (a DuckDB connection). Pairs in `exclude` (decided by a
    steward to be two people) are left out before the clusters are formed."""
    from splink import DuckDBAPI, Linker

    _quiet_splink()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    con = con or connect()
    if isinstance(records, str):
        source = records
    else:
        con.register("input_records", records)
        source = "input_records"
    _keyed_table(con, source)
    count = _scalar(con, "SELECT count(*) FROM people")
    timings["prepare_s"] = time.perf_counter() - clock
    empty = LinkResult(
        pairs=pd.DataFrame(columns=_pair_columns()),
        clusters=pd.DataFrame(columns=["unique_id", "cluster_id"]),
        records=count,
        comparisons=0,
        timings=timings,
    )
    if count < 2:
        return empty

    exact = _exact_pairs(con)
    # Too few people to estimate a model from: the exact pass alone.
    if count < MIN_RECORDS_FOR_MODEL:
        pairs = _without(_with_gammas(con), exclude)
        result = LinkResult(pairs, _clusters(con, pairs), count, exact, timings)
        timings["total_s"] = time.perf_counter() - clock
        return result

    clock_step = time.perf_counter()
    db_api = DuckDBAPI(connection=con)
    pairs_total = count * (count - 1) / 2
    linker = Linker("people", _settings(prior=min(0.5, max(1e-9, 1.0 / count))), db_api=db_api)
    model = _train(linker, db_api, seed=seed, pairs_total=pairs_total)
    model = _with_floor(model, u_floor=1.0 / U_SAMPLE_PAIRS)
    linker = Linker("people", model, db_api=db_api)
    timings["train_s"] = time.perf_counter() - clock_step

    clock_step = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    timings["predict_s"] = time.perf_counter() - clock_step
    clock_step = time.perf_counter()
    pairs = _without(_combine(con, predictions.physical_name), exclude)
    clusters = _clusters(con, pairs)
    timings["cluster_s"] = time.perf_counter() - clock_step
    comparisons = _comparison_count(con)
    timings["total_s"] = sum(timings.values())
    parameters = _parameters(linker)
    return LinkResult(pairs, clusters, count, comparisons, timings, parameters)


def _train(linker: Any, db_api: Any, *, seed: int, pairs_total: float) -> dict[str, Any]:
    """Estimate the model; returns it as Splink's settings dictionary."""
    from splink import Linker, block_on

    # The prior: pairs agreeing on spelled name and birth date are mostly the same person,
    # and about half of the duplicates agree on both.
    try:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("name_key", "birth_date")], recall=0.5
        )
    except Exception:  # no such pair at all: keep the default prior
        logger.info("prior left at its default")
    max_pairs = min(U_SAMPLE_PAIRS, max(1e4, pairs_total))
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    model = linker.misc.save_model_to_json()
    if pairs_total < MIN_PAIRS_FOR_EM:
        # Too few people for expectation maximisation to tell duplicates from chance: the
        # m probabilities stay at their defaults (COMPARISONS). So do the u of the name and
        # the birth date: among so few pairs the duplicates themselves weigh on them (one
        # pair written without accents makes that level look common).
        return _with_default_u(model, ("name", "birth"))
    # m: once among pairs born the same day (the name is estimated), once among pairs with
    # the same name in the same unit (the birth date is estimated).
    for rule in (block_on("birth_date", "family_initial"), block_on("name_fold", "unit")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except Exception:  # a block with no pair: keep what we had
            # A failed session leaves the linker without the comparisons it set aside.
            logger.info("EM on %s skipped", rule, exc_info=True)
            linker = Linker("people", model, db_api=db_api)
            continue
        model = linker.misc.save_model_to_json()
    return model


# u of the name and birth date levels measured on a million people (the benchmark's
# synthetic city, names with their Vietnamese frequencies), in the order of COMPARISONS.
DEFAULT_U: dict[str, tuple[float, ...]] = {
    "name": (2.05e-4, 8.43e-6, 3.04e-5, 3.08e-6, 4.56e-4, 4.52e-6, 0.9993),
    "birth": (4.89e-5, 1.95e-5, 1.93e-3, 1.37e-3, 1.65e-2, 0.9801),
}


def _with_default_u(model: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    for comparison in model.get("comparisons", []):
        defaults = DEFAULT_U.get(comparison.get("output_column_name", ""))
        if comparison.get("output_column_name") not in names or defaults is None:
            continue
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        for lvl, u in zip(levels, defaults, strict=True):
            lvl["u_probability"] = u
    return model


# The least share of true pairs a level is taken to hold. EM on clean data finds that no
# duplicate ever disagrees on gender, say, and would make that disagreement an absolute veto;
# real files do have such errors.
M_FLOOR = 0.002


def _with_floor(model: dict[str, Any], *, u_floor: float) -> dict[str, Any]:
    """The trained model with every m probability at least M_FLOOR, and every u probability
    at least `u_floor` (a level no random pair reached is taken as rare as one in the largest
    sample), each set
    renormalised. The citizen ID's fixed u is left as it is."""
    for comparison in model.get("comparisons", []):
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        for key, floor in (("m_probability", M_FLOOR), ("u_probability", u_floor)):
            if key == "u_probability" and comparison.get("output_column_name") == "citizen_id":
                continue
            values = [max(floor, lvl.get(key) or floor) for lvl in levels]
            total = sum(values)
            for lvl, value in zip(levels, values, strict=True):
                lvl[key] = value / total
    return model


def _pair_columns() -> list[str]:
    return [
        "unique_id_l",
        "unique_id_r",
        "match_probability",
        "match_weight",
        "method",
        *(f"gamma_{name}" for name in COMPARISON_NAMES),
    ]


def _exact_pairs(con: Any) -> int:
    """`exact_pairs`: every two records holding the same citizen ID."""
    con.execute(
        """
        CREATE OR REPLACE TABLE exact_pairs AS
        SELECT l.unique_id AS unique_id_l, r.unique_id AS unique_id_r
        FROM people l JOIN people r ON l.id_hash = r.id_hash AND l.unique_id < r.unique_id
        WHERE l.id_hash IS NOT NULL
        """
    )
    return _scalar(con, "SELECT count(*) FROM exact_pairs")


def _gamma_select() -> str:
    return ", ".join(f"{spec.case_sql()} AS gamma_{spec.name}" for spec in COMPARISONS)


def _side_columns(con: Any, side: str) -> str:
    names = [row[0] for row in con.execute("DESCRIBE people").fetchall()]
    return ", ".join(f"{side}.{n} AS {n}_{side}" for n in names if n != "unique_id")


def _with_gammas(con: Any) -> pd.DataFrame:
    """The exact pairs with their agreements (computed like Splink's gamma columns)."""
    left, right = _side_columns(con, "l"), _side_columns(con, "r")
    return con.execute(
        f"""
        WITH joined AS (
            SELECT e.unique_id_l, e.unique_id_r, {left}, {right}
            FROM exact_pairs e
            JOIN people l ON l.unique_id = e.unique_id_l
            JOIN people r ON r.unique_id = e.unique_id_r
        )
        SELECT unique_id_l, unique_id_r, 1.0 AS match_probability,
               CAST('Infinity' AS DOUBLE) AS match_weight, 'citizen_id' AS method,
               {_gamma_select()}
        FROM joined
        ORDER BY unique_id_l, unique_id_r
        """  # noqa: S608
    ).df()


def _combine(con: Any, predictions: str) -> pd.DataFrame:
    """Splink's pairs and the exact pairs, one row per pair, lower id on the left."""
    gammas = ", ".join(f"p.gamma_{n}" for n in COMPARISON_NAMES)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE linked_pairs AS
        SELECT least(p.unique_id_l, p.unique_id_r) AS unique_id_l,
               greatest(p.unique_id_l, p.unique_id_r) AS unique_id_r,
               p.match_probability, p.match_weight, 'probabilistic' AS method, {gammas}
        FROM {predictions} p
        """  # noqa: S608
    )
    exact = _with_gammas(con)
    con.register("exact_scored", exact)
    return con.execute(
        f"""
        SELECT unique_id_l, unique_id_r, match_probability, match_weight, method,
               {", ".join(f"gamma_{n}" for n in COMPARISON_NAMES)}
        FROM exact_scored
        UNION ALL
        SELECT l.* FROM linked_pairs l
        WHERE NOT EXISTS (
            SELECT 1 FROM exact_pairs e
            WHERE e.unique_id_l = l.unique_id_l AND e.unique_id_r = l.unique_id_r
        )
        ORDER BY match_probability DESC, unique_id_l, unique_id_r
        """  # noqa: S608
    ).df()


def _without(pairs: pd.DataFrame, exclude: Iterable[tuple[int, int]]) -> pd.DataFrame:
    excluded = {(min(a, b), max(a, b)) for a, b in exclude}
    if not excluded or not len(pairs):
        return pairs
    keys = zip(
        pairs["unique_id_l"].astype("int64"), pairs["unique_id_r"].astype("int64"), strict=True
    )
    keep = [(int(a), int(b)) not in excluded for a, b in keys]
    return pairs[keep].reset_index(drop=True)


def _clusters(con: Any, pairs: pd.DataFrame) -> pd.DataFrame:
    """Clusters by Splink's connected components over the kept pairs."""
    if not len(pairs):
        return pd.DataFrame({"unique_id": [], "cluster_id": []})
    from splink import DuckDBAPI
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    edges = pairs[["unique_id_l", "unique_id_r", "match_probability"]]
    con.register("cluster_edges", edges)
    con.execute(
        """
        CREATE OR REPLACE TABLE cluster_nodes AS
        SELECT unique_id_l AS unique_id FROM cluster_edges
        UNION SELECT unique_id_r FROM cluster_edges
        """
    )
    result = cluster_pairwise_predictions_at_threshold(
        "cluster_nodes",
        "cluster_edges",
        db_api=DuckDBAPI(connection=con),
        node_id_column_name="unique_id",
    )
    frame = result.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    # The cluster's smallest id names it, whatever Splink's representative.
    frame["cluster_id"] = frame.groupby("cluster_id")["unique_id"].transform("min")
    return frame.sort_values(["cluster_id", "unique_id"]).reset_index(drop=True)


def _comparison_count(con: Any) -> int:
    """How many pairs the blocking rules let through (each pair once)."""
    conditions = []
    for rule in BLOCKING_RULES:
        conditions.append(" AND ".join(f"l.{c} = r.{c}" for c in rule))
    total = 0
    seen: list[str] = []
    for condition in conditions:
        exclude = " ".join(f"AND NOT coalesce({c}, false)" for c in seen)
        total += _scalar(
            con,
            f"SELECT count(*) FROM people l JOIN people r ON {condition} "  # noqa: S608
            f"AND l.unique_id < r.unique_id {exclude}",
        )
        seen.append(f"({condition})")
    return int(total)


def _parameters(linker: Any) -> dict[str, Any]:
    """The trained model in short: the prior and each level's match weight."""
    try:
        settings = linker.misc.save_model_to_json()
    except Exception:
        return {}
    weights: dict[str, dict[str, float]] = {}
    for comparison in settings.get("comparisons", []):
        levels = {}
        for level in comparison.get("comparison_levels", []):
            m, u = level.get("m_probability"), level.get("u_probability")
            if m and u:
                levels[level.get("label_for_charts", "")] = round(math.log2(m / u), 2)
        weights[comparison.get("output_column_name", "")] = levels
    return {
        "probability_two_random_records_match": settings.get(
            "probability_two_random_records_match"
        ),
        "match_weights": weights,
    }


def iter_pairs(result: LinkResult) -> Iterator[dict[str, Any]]:
    """The pairs as dicts with their agreements (for persisting or printing)."""
    for row in result.pairs.to_dict("records"):
        yield {
            "a": int(row["unique_id_l"]),
            "b": int(row["unique_id_r"]),
            "probability": float(row["match_probability"]),
            "method": row["method"],
            "agreements": agreements_of(row),
        }
