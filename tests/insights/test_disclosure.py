"""Small-cell suppression of the public figures (trithuc/insights/disclosure.py).

The protection is checked two ways: by rules anyone can read off the published tables (no
published count of 1–4, no relation with exactly one hidden item), and by an attacker
written here independently of the module: a search over whole numbers for another
assignment of the hidden items — each at least 1, since zeros are shown — that keeps every
published total. If it finds none for a hidden item, that item is disclosed.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trithuc.insights import disclosure as d
from trithuc.insights.disclosure import TOTAL, Tables

# ---- an attacker, independent of the module ---------------------------------------------------


def other_value_exists(tables: Tables, hidden: set, key) -> bool:
    """Whether some whole-number assignment of the hidden items, each ≥ 1, keeps every
    relation with the published values and gives `key` a value other than its own."""
    known = {k: v for k, v in tables.values.items() if k not in hidden}
    # A bound for the search only: the published totals bound every item linked to them; when
    # those are hidden too, twice the largest count leaves room for the doubled assignment.
    ceiling = 2 * max(tables.values.values()) + 2
    relations = tables.relations

    def propagate(assign: dict) -> dict | None:
        assign = dict(assign)
        changed = True
        while changed:
            changed = False
            for rel in relations:
                missing = [k for k in rel.items if k not in assign]
                parts = sum(assign[k] for k in rel.parts if k in assign)
                if not missing:
                    if assign[rel.total] != parts:
                        return None
                    continue
                if rel.total in assign:
                    room = assign[rel.total] - parts
                    if room < len(missing):  # each missing part is at least 1
                        return None
                if len(missing) == 1:
                    k = missing[0]
                    value = parts if k == rel.total else assign[rel.total] - parts
                    if value < 1 or value > ceiling or (k == key and value == tables.values[key]):
                        return None
                    assign[k] = value
                    changed = True
        return assign

    def upper(assign: dict, k) -> int:
        bound = ceiling
        for rel in relations:
            if k in rel.parts and rel.total in assign:
                others = [p for p in rel.parts if p != k]
                fixed = sum(assign[p] for p in others if p in assign)
                bound = min(
                    bound, assign[rel.total] - fixed - sum(1 for p in others if p not in assign)
                )
        return bound

    def search(assign: dict) -> bool:
        assign = propagate(assign)
        if assign is None:
            return False
        free = [k for k in hidden if k not in assign]
        if not free:
            return assign[key] != tables.values[key]
        k = min(free, key=lambda k: (upper(assign, k), k))
        # Every value is tried; those near the true one first, where another solution lies
        # when one does (the search stays exhaustive, only quicker to succeed).
        true = tables.values[k]
        for value in sorted(range(1, upper(assign, k) + 1), key=lambda v: (abs(v - true), v)):
            if k == key and value == true:
                continue
            if search({**assign, k: value}):
                return True
        return False

    return search(known)


def disclosed(tables: Tables, hidden: set) -> list:
    return [k for k in sorted(hidden) if not other_value_exists(tables, hidden, k)]


def published_small(tables: Tables, hidden: set) -> list:
    return [k for k, v in tables.values.items() if k not in hidden and 0 < v < d.MIN_COUNT]


def single_hidden_relations(tables: Tables, hidden: set) -> list:
    """Relations where total − published parts (or the parts) give one hidden item."""
    return [r for r in tables.relations if sum(1 for k in r.items if k in hidden) == 1]


def two_way(cells: list[list[int]]) -> Tables:
    t = Tables()
    rows = [f"r{i}" for i in range(len(cells))]
    columns = [f"c{j}" for j in range(len(cells[0]))]
    t.values[TOTAL] = sum(map(sum, cells))
    t.keep.add(TOTAL)
    grid = {(r, c): cells[i][j] for i, r in enumerate(rows) for j, c in enumerate(columns)}
    t.add_two_way("grid", grid, rows, columns, "row", "column")
    return t


# ---- examples ---------------------------------------------------------------------------------


def test_one_way_table_hides_the_next_smallest_category():
    t = Tables()
    t.values[TOTAL] = 33
    t.add_one_way("title", {"GS": 3, "PGS": 10, "none": 20}, ["GS", "PGS", "none"])
    hidden = d.protect(t)
    assert hidden == {("title", "GS"), ("title", "PGS")}
    assert not disclosed(t, hidden)


def test_a_table_without_small_cells_is_published_whole():
    t = two_way([[5, 9], [12, 0]])
    assert d.protect(t) == set()


def test_rows_and_columns_are_not_enough_when_every_hidden_cell_is_one():
    """Four cells of 1: each row and column holds two hidden cells, yet a row of 7 with a
    published 5 leaves 2 for two cells that are each at least 1 — both are 1."""
    t = two_way([[1, 1, 5], [1, 1, 5], [5, 5, 5]])
    rule_only = d.primary(t.values)
    d._complete(t, rule_only)
    assert rule_only == d.primary(t.values)  # the row/column rule is satisfied...
    assert disclosed(t, rule_only)  # ...but the attacker finds every cell
    assert set(d.unprotected(t, rule_only)) == rule_only
    hidden = d.protect(t)
    assert not disclosed(t, hidden)
    assert not d.unprotected(t, hidden)


def test_two_blocks_joined_by_one_cell_give_that_cell_away():
    """Every row and column holds two or three hidden cells, but the cell joining the two
    blocks equals rows r0 + r1 − columns c0 + c1 of what is published."""
    cells = [
        [2, 3, 20, 20, 20],
        [3, 2, 4, 20, 20],
        [20, 20, 2, 3, 20],
        [20, 20, 3, 2, 20],
        [20, 20, 20, 20, 20],
    ]
    t = two_way(cells)
    rule_only = d.primary(t.values)
    d._complete(t, rule_only)
    assert not single_hidden_relations(t, rule_only)
    bridge = ("grid", "r1", "c2")
    assert bridge in rule_only
    assert d.unprotected(t, rule_only) == [bridge]
    assert disclosed(t, rule_only) == [bridge]
    hidden = d.protect(t)
    assert not disclosed(t, hidden)


def test_a_cell_of_one_protected_by_cells_that_can_move():
    """A 2 × 2 block with one cell of 1: the others move so that the 1 becomes 2, so nothing
    more is hidden than the block (the exact test, not a cautious one)."""
    t = two_way([[1, 6, 40], [7, 8, 50], [30, 60, 70]])
    hidden = d.protect(t)
    assert hidden == {
        ("grid", "r0", "c0"),
        ("grid", "r0", "c1"),
        ("grid", "r1", "c0"),
        ("grid", "r1", "c1"),
    }
    assert not disclosed(t, hidden)


def test_margin_of_one_to_four_is_hidden_with_its_cells():
    t = two_way([[2, 1], [30, 40]])
    hidden = d.protect(t)
    assert ("row", "r0") in hidden
    assert not published_small(t, hidden)
    assert not single_hidden_relations(t, hidden)
    assert not disclosed(t, hidden)


def test_zero_cells_are_never_hidden():
    t = two_way([[0, 3, 0], [0, 40, 9], [8, 0, 30]])
    hidden = d.protect(t)
    assert all(t.values[k] > 0 for k in hidden)
    assert not disclosed(t, hidden)


def test_grand_total_is_kept_when_anything_else_can_protect():
    t = two_way([[3, 40], [50, 60]])
    assert TOTAL not in d.protect(t)


def test_a_tiny_population_hides_everything_but_zeros():
    t = two_way([[1, 0], [2, 1]])
    hidden = d.protect(t)
    assert hidden == {k for k, v in t.values.items() if v}


def test_age_bands_nest_in_the_pyramid_bands():
    nesting = d.band_nesting()
    assert nesting["lt30"] == ["lt25", "25-29"]
    assert nesting["ge70"] == ["ge70"]
    assert sorted(b for parts in nesting.values() for b in parts) == sorted(
        b for b, *_rest in d.PYRAMID_BANDS
    )


# ---- properties -------------------------------------------------------------------------------

# Mostly small counts, zeros and a few large ones: the tables where suppression matters.
COUNT = st.one_of(st.integers(0, 4), st.integers(0, 4), st.integers(5, 12))


@st.composite
def small_tables(draw):
    n_rows = draw(st.integers(1, 3))
    n_columns = draw(st.integers(1, 3))
    return [[draw(COUNT) for _c in range(n_columns)] for _r in range(n_rows)]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_tables())
def test_no_hidden_cell_of_a_two_way_table_can_be_recovered(cells):
    t = two_way(cells)
    assume(t.values[TOTAL] > 0)
    hidden = d.protect(t)
    assert not published_small(t, hidden)
    assert not single_hidden_relations(t, hidden)
    assert all(t.values[k] > 0 for k in hidden)
    assert not disclosed(t, hidden)


@st.composite
def linked_tables(draw):
    """A two-way table and a one-way table of another dimension over the same people (the
    page's degree × field beside its "by title" table)."""
    cells = draw(small_tables())
    total = sum(map(sum, cells))
    n = draw(st.integers(2, 3))
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=n - 1, max_size=n - 1)))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return cells, sizes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_tables())
def test_linked_tables_protect_each_other(data):
    cells, sizes = data
    t = two_way(cells)
    assume(t.values[TOTAL] > 0)
    t.add_one_way(
        "other", {f"o{i}": n for i, n in enumerate(sizes)}, [f"o{i}" for i in range(len(sizes))]
    )
    hidden = d.protect(t)
    assert not published_small(t, hidden)
    assert not single_hidden_relations(t, hidden)
    assert not disclosed(t, hidden)


TITLES = ["GS", "PGS", "none"]
DEGREES = ["TS", "THS", "none"]
FIELDS = ["1", "2", "none"]
GENDERS = ["male", "female"]
SECTORS = ["public_service", "state_administration"]
BANDS = [b for b, *_rest in d.PYRAMID_BANDS]


@st.composite
def microdata(draw):
    """People as (title, degree, field, gender, sector, 5-year band), counted."""
    person = st.tuples(
        st.sampled_from(TITLES),
        st.sampled_from(DEGREES),
        st.sampled_from(FIELDS),
        st.sampled_from(GENDERS),
        st.sampled_from(SECTORS),
        st.sampled_from(BANDS[:6]),
    )
    return Counter(draw(st.lists(person, min_size=1, max_size=60)))


def page_tables(counts) -> Tables:
    cats = d.Categories(
        title=TITLES,
        degree=DEGREES,
        field=FIELDS,
        gender=GENDERS,
        sector=SECTORS,
        band=BANDS,
        age_band=[b for b, *_rest in d.AGE_BANDS],
    )
    return d.build_tables(counts, cats)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(microdata())
def test_the_page_tables_publish_no_small_cell_and_disclose_none(counts):
    t = page_tables(counts)
    hidden = d.protect(t)
    assert not published_small(t, hidden)
    assert not single_hidden_relations(t, hidden)
    assert all(t.values[k] > 0 for k in hidden)
    weak = d.unprotected(t, hidden)
    # Only when nothing is left to hide next to them (then doubling the hidden items is
    # another consistent assignment).
    for key in weak:
        linked = [r for r in t.relations if key in r.items]
        assert all(k in hidden or t.values[k] == 0 for r in linked for k in r.items)
    # The one-way tables are the margins of the two-way ones: one item, one status.
    for degree in DEGREES:
        row = [("degree_field", degree, f) for f in FIELDS]
        assert t.values[("degree", degree)] == sum(t.values[k] for k in row)
    for age_band, parts in d.band_nesting().items():
        assert t.values[("age_band", age_band)] == sum(t.values[("band", b)] for b in parts)
    assert not disclosed(t, hidden)


def test_the_page_tables_survive_the_attacker_on_a_sparse_example():
    counts = Counter(
        {
            ("GS", "TS", "1", "male", "public_service", "50-54"): 2,
            ("PGS", "TS", "1", "female", "public_service", "45-49"): 3,
            ("none", "THS", "2", "female", "state_administration", "30-34"): 9,
            ("none", "THS", "1", "male", "state_administration", "35-39"): 6,
            ("none", "none", "2", "male", "public_service", "25-29"): 1,
        }
    )
    t = page_tables(counts)
    hidden = d.protect(t)
    assert not published_small(t, hidden)
    assert not disclosed(t, hidden)
