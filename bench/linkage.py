"""Linkage benchmark: 1,000,000 synthetic records with 5% injected duplicates, known truth.

    python -m bench linkage [--people N] [--threshold P]     (default 1,000,000; 0.8)

The records are generated directly as a table (trithuc/linkage/synthetic.py, never through
the ORM: the production path reads the registry's tables, `linkage.sources`), then go
through the same function as `manage.py link_people` (`linkage.engine.link`): the exact pass
on citizen ID, Splink on DuckDB (training, blocking, prediction), the clusters. Prints the
time of each step and of the whole against the target (10 minutes), the peak memory of the
process, and precision and recall of the pairs against the injected truth (targets 0.98 and
0.95), also for the pairs the clusters imply, and at a few other thresholds.
"""

from __future__ import annotations

import resource
import time
from typing import Any

TIME_TARGET_S = 600.0
PRECISION_TARGET = 0.98
RECALL_TARGET = 0.95
DEFAULT_PEOPLE = 1_000_000


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def _scores(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall


def cluster_pairs(clusters: Any) -> set[tuple[int, int]]:
    """Every two people of each cluster."""
    pairs = set()
    for _cluster, members in clusters.groupby("cluster_id")["unique_id"]:
        ids = sorted(int(m) for m in members)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add((a, b))
    return pairs


def run(people: int = DEFAULT_PEOPLE, threshold: float | None = None, seed: int = 1) -> dict:
    from trithuc.linkage import engine, synthetic

    threshold = engine.DEFAULT_THRESHOLD if threshold is None else threshold
    start = time.perf_counter()
    population = synthetic.generate(people, seed=seed)
    generated_s = time.perf_counter() - start
    truth = population.true_pairs()
    print(
        f"linkage: {people:,} synthetic records, {population.duplicates:,} injected "
        f"duplicates ({len(truth):,} true pairs), generated in {generated_s:.1f} s"
    )

    start = time.perf_counter()
    table = synthetic.to_input(population)
    keyed_s = time.perf_counter() - start
    # A low threshold once, so that other thresholds can be scored from the same run.
    scored = engine.link(table, threshold=min(threshold, 0.5), seed=seed)
    link_s = keyed_s + scored.timings["total_s"]
    pairs = scored.pairs[scored.pairs.match_probability >= threshold]
    found = set(zip(pairs.unique_id_l.astype(int), pairs.unique_id_r.astype(int), strict=True))
    precision, recall = _scores(found, truth)
    timings = ", ".join(f"{k.removesuffix('_s')} {v:.1f} s" for k, v in scored.timings.items())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  time: names keyed {keyed_s:.1f} s, {timings}; {scored.comparisons:,} comparisons")
    print(
        f"  linkage end to end: {link_s:.1f} s (target ≤ {TIME_TARGET_S:.0f} s) "
        f"{verdict(link_s <= TIME_TARGET_S)}; peak memory of the process {peak_mb:,.0f} MB"
    )
    print(
        f"  pairs at threshold {threshold}: {len(found):,}; precision {precision:.4f} "
        f"(target ≥ {PRECISION_TARGET}) {verdict(precision >= PRECISION_TARGET)}, "
        f"recall {recall:.4f} (target ≥ {RECALL_TARGET}) {verdict(recall >= RECALL_TARGET)}"
    )
    exact = int((pairs.method == "citizen_id").sum())
    print(f"  of which {exact:,} by the exact pass on citizen ID (probability 1)")

    from trithuc.linkage.engine import LinkResult

    kept = LinkResult(pairs, scored.clusters, scored.records, scored.comparisons)
    clusters = engine._clusters(engine.connect(), kept.pairs)
    c_precision, c_recall = _scores(cluster_pairs(clusters), truth)
    print(
        f"  clusters: {clusters.cluster_id.nunique():,} holding {len(clusters):,} people; "
        f"pairs within clusters: precision {c_precision:.4f}, recall {c_recall:.4f}"
    )
    for other in (0.5, 0.9, 0.95, 0.99):
        if other < min(threshold, 0.5) or other == threshold:
            continue
        chosen = scored.pairs[scored.pairs.match_probability >= other]
        p, r = _scores(set(zip(chosen.unique_id_l.astype(int), chosen.unique_id_r.astype(int),
                               strict=True)), truth)  # fmt: skip
        print(f"  at threshold {other}: precision {p:.4f}, recall {r:.4f}")
    return {
        "seconds": link_s,
        "precision": precision,
        "recall": recall,
        "pairs": len(found),
    }
