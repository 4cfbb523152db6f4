"""The cell parsers: dates, titles and degrees, names, citizen IDs (pure functions)."""

import json
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trithuc.core.tabular import decode_csv, header_key
from trithuc.intake import parsing
from trithuc.intake.columns import field_for_header
from trithuc.intake.parsing import DegreeTable, ParsedDate, Problem

LEVELS = json.loads(
    (Path(__file__).resolve().parents[2] / "trithuc/registry/data/degree_levels.json").read_text(
        encoding="utf-8"
    )
)["levels"]
TABLE = DegreeTable.build(LEVELS)
TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("15/03/1975", date(1975, 3, 15), "day"),
        ("15-03-1975", date(1975, 3, 15), "day"),
        ("15.3.1975", date(1975, 3, 15), "day"),
        ("5/3/75", date(1975, 3, 5), "day"),
        ("5/3/05", date(2005, 3, 5), "day"),
        ("1975", date(1975, 1, 1), "year"),
        (1975, date(1975, 1, 1), "year"),
        (27468, date(1975, 3, 15), "day"),
        (27468.0, date(1975, 3, 15), "day"),
        ("27468", date(1975, 3, 15), "day"),
        ("1975-03-15", date(1975, 3, 15), "day"),
        ("1975-03-15 00:00:00", date(1975, 3, 15), "day"),
        ("15 tháng 3 năm 1975", date(1975, 3, 15), "day"),
        ("ngày 15 tháng 03 năm 1975", date(1975, 3, 15), "day"),
        ("15 THÁNG 3 NĂM 1975", date(1975, 3, 15), "day"),
        ("tháng 3/1975", date(1975, 1, 1), "year"),
        ("03/1975", date(1975, 1, 1), "year"),
        ("năm 1975", date(1975, 1, 1), "year"),
        (datetime(1975, 3, 15, 0, 0), date(1975, 3, 15), "day"),
        (date(1975, 3, 15), date(1975, 3, 15), "day"),
        ("12/25/1980", date(1980, 12, 25), "day"),
    ],
)
def test_dates_as_agencies_write_them(value, expected, precision):
    parsed = parsing.parse_date(value, today=TODAY)
    assert isinstance(parsed, ParsedDate), parsed
    assert (parsed.value, parsed.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("value", "warning"),
    [
        ("5/3/75", "two_digit_year"),
        ("12/25/1980", "day_month_swapped"),
        ("03/1975", "month_year_only"),
        ("27468", "excel_serial"),
    ],
)
def test_what_was_assumed_is_a_warning(value, warning):
    parsed = parsing.parse_date(value, today=TODAY)
    assert [w.code for w in parsed.warnings] == [warning]
    assert all(w.severity == "warning" for w in parsed.warnings)


@pytest.mark.parametrize("value", ["31/02/1980", "13/25/1980", "abc", "1850", "15/03/3000", "x/y"])
def test_impossible_dates_are_problems_naming_the_text(value):
    parsed = parsing.parse_date(value, today=TODAY)
    assert isinstance(parsed, Problem) and parsed.severity == "error"
    assert value in parsed.message


def test_empty_cells_are_none():
    assert parsing.parse_date(None) is None
    assert parsing.parse_date("  ") is None


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_every_date_written_dd_mm_yyyy_or_as_a_serial_reads_back(day):
    for text in (day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}",
                 day.isoformat(), f"{day.day} tháng {day.month} năm {day.year}"):  # fmt: skip
        parsed = parsing.parse_date(text, today=date(2100, 12, 31))
        assert isinstance(parsed, ParsedDate) and parsed.value == day, text
    serial = (day - parsing.EXCEL_EPOCH).days
    if parsing.EXCEL_SERIALS[0] <= serial < parsing.EXCEL_SERIALS[1]:
        assert parsing.parse_date(serial).value == day


@given(st.text(max_size=30))
def test_any_text_gives_a_date_a_problem_or_nothing(text):
    parsed = parsing.parse_date(text, today=TODAY)
    assert parsed is None or isinstance(parsed, ParsedDate | Problem)


@pytest.mark.parametrize(
    ("text", "title", "degree", "rest"),
    [
        ("PGS.TS", "PGS", "TS", ""),
        ("PGS. TS.", "PGS", "TS", ""),
        ("PGS TS", "PGS", "TS", ""),
        ("PGSTS", "PGS", "TS", ""),
        ("GS.TSKH", "GS", "TSKH", ""),
        ("Giáo sư, Tiến sĩ khoa học", "GS", "TSKH", ""),
        ("Tiến sỹ", "", "TS", ""),
        ("tiến sĩ", "", "TS", ""),
        ("T.S", "", "TS", ""),
        ("Th.S", "", "THS", ""),
        ("ThS", "", "THS", ""),
        ("Thạc sỹ", "", "THS", ""),
        ("BS CKII", "", "BSCKII", ""),
        ("BS.CKII", "", "BSCKII", ""),
        ("BSCK2", "", "BSCKII", ""),
        ("Bác sĩ chuyên khoa cấp II", "", "BSCKII", ""),
        ("BSCKI", "", "BSCKI", ""),
        ("KS", "", "KS", ""),
        ("Kỹ sư xây dựng", "", "KS", "xây dựng"),
        ("Thạc sĩ Kinh tế", "", "THS", "Kinh tế"),
        ("Thạc sĩ chuyên ngành Quản lý công", "", "THS", "Quản lý công"),
        ("Cử nhân Luật", "", "CN", "Luật"),
        ("Đại học", "", "DH", ""),
        ("Cao đẳng", "", "CD", ""),
        ("TS.BS", "", "TS", ""),
        ("Kỹ sư Ba Lan", "", "KS", "Ba Lan"),
        ("PGS", "PGS", "", ""),
    ],
)
def test_titles_and_degrees_from_free_variants(text, title, degree, rest):
    parsed = parsing.parse_title_degree(text, TABLE)
    assert (parsed.title, parsed.degree, parsed.rest) == (title, degree, rest)


@pytest.mark.parametrize("text", ["NCS", "abc", "Kỹ thuật viên", "12"])
def test_unknown_degrees_are_reported(text):
    parsed = parsing.parse_title_degree(text, TABLE)
    assert isinstance(parsed, Problem) and parsed.code == "unknown_degree"
    assert text in parsed.message


@given(st.sampled_from([lvl for lvl in LEVELS]), st.sampled_from(["", ".", " "]))
def test_every_synonym_of_the_registry_is_recognised(level, suffix):
    for spelling in [level["name"], level["abbreviation"], *level["synonyms"]]:
        parsed = parsing.parse_title_degree(spelling + suffix, TABLE)
        assert isinstance(parsed, parsing.TitleDegree), spelling
        assert TABLE.ranks[parsed.degree] == level["rank"], spelling


@pytest.mark.parametrize(
    ("raw", "display", "key"),
    [
        ("  nguyễn   văn AN ", "Nguyễn Văn An", "nguyễn văn an"),
        ("NGUYỄN THỊ MINH KHAI", "Nguyễn Thị Minh Khai", "nguyễn thị minh khai"),
        ("trần thị hòa", "Trần Thị Hòa", "trần thị hoà"),
        ("Trần Thị Hoà", "Trần Thị Hoà", "trần thị hoà"),
        ("đặng   thùy   trâm", "Đặng Thùy Trâm", "đặng thuỳ trâm"),
        ("H'Hen Niê", "H'hen Niê", "h'hen niê"),
    ],
)
def test_names_are_normalised_and_keyed_with_canonical_tones(raw, display, key):
    parsed = parsing.parse_name(raw)
    assert (parsed.display, parsed.key) == (display, key)


def test_decomposed_names_become_nfc():
    parsed = parsing.parse_name(unicodedata.normalize("NFD", "Nguyễn Văn Ánh"))
    assert parsed.display == "Nguyễn Văn Ánh"
    assert unicodedata.is_normalized("NFC", parsed.display)


def test_an_academic_prefix_is_taken_off_the_name():
    parsed = parsing.parse_name("PGS.TS. Trần Văn Bình")
    assert parsed.display == "Trần Văn Bình"
    assert parsed.prefix == "PGS.TS."
    assert [p.code for p in parsed.problems] == ["name_prefix"]


@pytest.mark.parametrize("raw", ["Nguyễn V4n An", "Lê @ Hoa", "123"])
def test_names_with_digits_or_symbols_are_refused(raw):
    assert parsing.parse_name(raw).code == "invalid_name"


@given(st.lists(st.sampled_from(["nguyễn", "VĂN", "thị", "Hòa", "hoà", "An", "đức"]),
                min_size=2, max_size=4))  # fmt: skip
def test_name_keys_ignore_case_spacing_and_tone_placement(words):
    one = parsing.parse_name(" ".join(words))
    other = parsing.parse_name("  ".join(w.upper() for w in words).replace("Hoà", "Hòa"))
    assert one.key == other.key


@pytest.mark.parametrize(
    ("raw", "number", "warnings"),
    [
        ("001 080 012 345", "001080012345", []),
        ("001.080.012.345", "001080012345", []),
        (1080012345, "001080012345", ["citizen_id_zero_restored"]),
        (79080012345.0, "079080012345", ["citizen_id_zero_restored"]),
        ("79080012345", "079080012345", ["citizen_id_zero_restored"]),
        ("7.9080012345E+10", "079080012345", ["citizen_id_scientific",
                                               "citizen_id_zero_restored"]),
        ("123456789", "", ["old_id_card"]),
    ],
)  # fmt: skip
def test_citizen_ids_with_spaces_or_lost_zeros(raw, number, warnings):
    parsed = parsing.parse_citizen_id(raw, gender="male", birth_year=1980)
    assert parsed.number == number
    assert [p.code for p in parsed.problems] == warnings
    # The messages are kept in the batch's report: never the whole number in clear.
    digits = "".join(ch for ch in str(raw) if ch.isdigit())
    for problem in parsed.problems:
        assert (number or digits[-9:]) not in problem.message
        assert "•••" in problem.message


def test_citizen_id_must_fit_gender_and_birth_year():
    assert parsing.parse_citizen_id("001080012345", gender="female", birth_year=1980).code == (
        "citizen_id_gender_mismatch"
    )
    assert parsing.parse_citizen_id("001080012345", gender="male", birth_year=1981).code == (
        "citizen_id_birth_year_mismatch"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Nam", "male"), ("NỮ", "female"), ("nu", "female"), ("Male", "male"), ("F", "female")],
)
def test_gender(value, expected):
    assert parsing.parse_gender(value) == expected


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("Họ tên", "full_name"),
        ("ho va ten", "full_name"),
        ("Ngày sinh", "birth"),
        ("Năm sinh", "birth"),
        ("Ngày, tháng, năm sinh", "birth"),
        ("Học hàm", "title"),
        ("Học vị", "degree"),
        ("Trình độ chuyên môn", "degree"),
        ("Học hàm, học vị", "degree"),
        ("Số CCCD", "citizen_id"),
        ("Giới tính", "gender"),
        ("Lĩnh vực", "field"),
    ],
)
def test_headers_by_synonyms_accent_and_case_insensitive(header, field):
    assert field_for_header(header) == field
    assert header_key(header) == header_key(header.upper())


def test_windows_1258_text_is_decoded_and_composed():
    # "Nguyễn" in Windows-1258: "Nguy", ê (0xEA), combining tilde (0xDE), "n".
    raw = b"Nguy\xea\xden V\xe3n \xc2n"
    text, encoding = decode_csv(raw, "a.csv")
    assert (text, encoding) == ("Nguyễn Văn Ân", "windows-1258")
    assert unicodedata.is_normalized("NFC", text)


@given(st.text(alphabet="aăâeêioôơuưyđ àáảãạ", min_size=1, max_size=40))
def test_utf8_and_utf16_decode_to_the_same_nfc_text(text):
    expected = unicodedata.normalize("NFC", text)
    for raw in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode(), text.encode("utf-16")):
        decoded, _encoding = decode_csv(raw, "a.csv")
        assert decoded == expected
