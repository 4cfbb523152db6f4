"""The linkage function on tables built in memory (no database): the exact pass, a
probabilistic pair with the fields that agreed, decisions left out, the gamma levels."""

from datetime import date

import pandas as pd
import pytest

from trithuc.linkage import engine, synthetic

pytestmark = pytest.mark.filterwarnings("ignore")


def _row(uid, name, born, **extra):
    return {
        "unique_id": uid,
        "full_name": name,
        "birth_date": born,
        "birth_precise": extra.pop("precise", True),
        "gender": extra.pop("gender", "female"),
        "unit": extra.pop("unit", "U1"),
        "dept": extra.pop("dept", "D1"),
        "degree": extra.pop("degree", "TS"),
        "field": extra.pop("field", "102"),
        "id_hash": extra.pop("id_hash", None),
    }


@pytest.fixture(scope="module")
def population():
    """400 synthetic people with their injected duplicates, and two records of one woman
    written by two agencies: accents dropped, the old tone placement, day and month swapped."""
    people = synthetic.generate(400, seed=3)
    frame = people.records.copy()
    extra = pd.DataFrame(
        [
            _row(90001, "Trần Thị Hòa Khuê", date(1981, 3, 5), unit="U7", dept="D2"),
            _row(90002, "Tran Thi Hoa Khue", date(1981, 5, 3), unit="U9", dept="D2"),
        ]
    )
    frame = pd.concat([frame, extra], ignore_index=True)
    frame["birth_date"] = pd.to_datetime(frame["birth_date"])
    return people, engine.prepare_frame(frame)


@pytest.fixture(scope="module")
def linked(population):
    _people, table = population
    return engine.link(table, threshold=0.8)


def _pair(result, a, b):
    rows = result.pairs[(result.pairs.unique_id_l == a) & (result.pairs.unique_id_r == b)]
    return rows.iloc[0] if len(rows) else None


def test_a_probabilistic_pair_is_found_with_what_agreed(linked):
    row = _pair(linked, 90001, 90002)
    assert row is not None, "the two records of Trần Thị Hòa Khuê were not linked"
    assert row.method == "probabilistic"
    assert row.match_probability >= 0.8
    agreements = engine.agreements_of(row)
    assert agreements["name"] == {"level": "unaccented", "status": "agree"}
    assert agreements["birth"] == {"level": "day_month_swapped", "status": "partial"}
    assert agreements["unit"] == {"level": "same_department", "status": "partial"}
    assert agreements["gender"]["status"] == "agree"
    assert agreements["citizen_id"] == {"level": "missing", "status": "missing"}
    # Both in one cluster, named by the smaller id.
    clusters = dict(zip(linked.clusters.unique_id, linked.clusters.cluster_id, strict=True))
    assert clusters[90001] == clusters[90002] == 90001


def test_injected_duplicates_are_found_and_little_else(population, linked):
    people, _table = population
    truth = people.true_pairs()
    found = set(
        zip(linked.pairs.unique_id_l.astype(int), linked.pairs.unique_id_r.astype(int), strict=True)
    )
    found.discard((90001, 90002))
    hits = len(truth & found)
    assert hits / len(found) >= 0.95, f"precision {hits / len(found):.3f}"
    assert hits / len(truth) >= 0.85, f"recall {hits / len(truth):.3f}"


def test_same_citizen_id_is_one_person_whatever_the_rest_says():
    rows = [_row(i, f"Nguyễn Văn Người{i}", date(1970, 1, 1 + i % 28)) for i in range(1, 80)]
    # Nothing alike but the ID: another name, another date, another unit.
    rows[0] = _row(1, "Lê Văn Minh", date(1960, 2, 2), id_hash="h-1", unit="U3")
    rows[1] = _row(2, "Phạm Thị Lan", date(1990, 9, 9), id_hash="h-1", unit="U4")
    result = engine.link(engine.prepare_records(rows), threshold=0.8)
    row = _pair(result, 1, 2)
    assert row is not None
    assert row.method == "citizen_id" and row.match_probability == 1.0
    agreements = engine.agreements_of(row)
    assert agreements["citizen_id"]["status"] == "agree"
    assert agreements["name"]["status"] == "disagree"
    assert agreements["birth"]["status"] == "disagree"


def test_the_exact_pass_alone_on_a_handful_of_records():
    rows = [
        _row(1, "Lê Văn Minh", date(1960, 2, 2), id_hash="x"),
        _row(2, "Lê Văn Minh", date(1960, 2, 2), id_hash="x"),
        _row(3, "Lê Văn Minh", date(1960, 2, 2)),
    ]
    result = engine.link(engine.prepare_records(rows))
    assert [
        (int(a), int(b))
        for a, b in zip(result.pairs.unique_id_l, result.pairs.unique_id_r, strict=True)
    ] == [(1, 2)]
    assert result.cluster_count == 1


def test_pairs_decided_to_be_two_people_are_left_out(population):
    _people, table = population
    result = engine.link(table, threshold=0.8, exclude=[(90002, 90001)])
    assert _pair(result, 90001, 90002) is None
    assert 90001 not in set(result.clusters.unique_id)


def test_gamma_levels_read_as_codes():
    assert engine.agreement_of("birth", 5) == ("exact", "agree")
    assert engine.agreement_of("birth", 4) == ("day_month_swapped", "partial")
    assert engine.agreement_of("birth", 0) == ("different", "disagree")
    assert engine.agreement_of("name", -1) == ("missing", "missing")


def test_our_gamma_sql_matches_splinks(linked, population):
    """The agreements of exact pairs are computed by our CASE expressions: they must give
    what Splink's gamma columns give for the same pairs."""
    _people, table = population
    con = engine.connect()
    con.register("t", table)
    engine._keyed_table(con, "t")
    sample = linked.pairs[linked.pairs.method == "probabilistic"].head(30)
    con.register("sample_pairs", sample[["unique_id_l", "unique_id_r"]])
    con.execute("CREATE TABLE exact_pairs AS SELECT * FROM sample_pairs")
    ours = engine._with_gammas(con).set_index(["unique_id_l", "unique_id_r"])
    for row in sample.itertuples():
        for name in engine.COMPARISON_NAMES:
            expected = getattr(row, f"gamma_{name}")
            assert ours.loc[(row.unique_id_l, row.unique_id_r), f"gamma_{name}"] == expected, name


def test_names_are_keyed_with_canonical_tones():
    table = engine.prepare_records([_row(1, "Nguyễn Thị Thủy Hòa", date(1980, 1, 1))])
    assert table.loc[0, "name_key"] == "nguyễn thị thuỷ hoà"
    assert table.loc[0, "name_fold"] == "nguyen thi thuy hoa"
