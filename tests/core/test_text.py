"""Vietnamese text helpers: folding, tone placement, name keys, name splitting and sorting."""

import re
import sqlite3
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trithuc.core.text import (
    canonical_tones,
    fold,
    name_key,
    nfc,
    split_vietnamese_name,
    vietnamese_collation_key,
    vietnamese_name_collation_key,
    vietnamese_sort_key,
    vietnamese_text_key,
)

TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # none huyền hỏi ngã sắc nặng


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def cmp(a, b) -> int:
    return (a > b) - (a < b)


# ---- examples -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hòa", "hoà"),
        ("thủy", "thuỷ"),
        ("khỏe", "khoẻ"),
        ("Khánh Hòa", "Khánh Hoà"),
        ("Thụy", "Thuỵ"),
        ("HÒA BÌNH", "HOÀ BÌNH"),
        ("Hòa", "Hoà"),
    ],
)
def test_old_and_new_tone_placement_become_the_new_one(old, new):
    assert old != new
    assert canonical_tones(old) == new
    assert canonical_tones(new) == new
    assert canonical_tones(nfd(old)) == new


@pytest.mark.parametrize(
    "word",
    [
        "hoàng",
        "quý",
        "quá",
        "quốc",
        "quyền",
        "giá",
        "già",
        "giỏi",
        "giường",
        "gìn",
        "thuyền",
        "nghiêng",
        "người",
        "khuỷu",
        "ngoài",
        "xoáy",
        "mùa",
        "núi",
        "mía",
        "cứu",
        "rượu",
        "tuấn",
        "hoặc",
        "huỳnh",
        "thuở",
        "khuấy",
        "chuối",
        "yêu",
        "ý",
        "Đạt",
        "Ánh",
    ],
)
def test_canonical_words_are_left_as_they_are(word):
    assert canonical_tones(word) == word
    assert canonical_tones(word.upper()) == word.upper()


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("hòang", "hoàng"),
        ("qúa", "quá"),
        ("gìa", "già"),
        ("ngòai", "ngoài"),
        ("ngừơi", "người"),
        ("thùyên", "thuyền"),
        ("khủyu", "khuỷu"),
        ("hÒa", "hOà"),
    ],
)
def test_a_tone_on_the_wrong_vowel_is_moved(typed, canonical):
    assert canonical_tones(typed) == canonical


@pytest.mark.parametrize(
    "text", ["café", "José", "Noël", "Đắk Lắk", "H'Hen Niê", "Zoé", "東京", "abc-1", "ḿa"]
)
def test_non_vietnamese_words_are_left_alone(text):
    assert canonical_tones(text) == unicodedata.normalize("NFC", text)


def test_canonical_tones_normalises_like_nfc():
    assert canonical_tones("  Khánh \t Hòa\n") == "Khánh Hoà"
    assert canonical_tones(nfd("Nguyễn Thị Hòa")) == "Nguyễn Thị Hoà"
    assert canonical_tones("") == ""


def test_fold_matches_old_and_new_style_and_drops_diacritics():
    assert fold("Khánh Hòa") == fold("KHÁNH HOÀ") == "khanh hoa"
    assert fold("  Đặng   Thùy ") == "dang thuy"


def test_name_key_keeps_diacritics_but_not_case_placement_or_spacing():
    assert name_key("Nguyễn Thị Hòa") == name_key(" NGUYỄN  thị  HOÀ ") == "nguyễn thị hoà"
    assert name_key(nfd("Lê Thủy")) == name_key("lê thuỷ")
    assert name_key("Hoà") != name_key("Hòe")
    assert name_key("Hoà") != name_key("Hoa")


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Nguyễn Thị Minh Khai", ("Nguyễn", "Thị Minh", "Khai")),
        ("  Nguyễn   Văn  Hùng ", ("Nguyễn", "Văn", "Hùng")),
        ("Hoàng Dũng", ("Hoàng", "", "Dũng")),
        ("Dũng", ("", "", "Dũng")),
        ("", ("", "", "")),
        ("   ", ("", "", "")),
    ],
)
def test_split_vietnamese_name(full_name, parts):
    assert split_vietnamese_name(full_name) == parts


PEOPLE = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị Ánh", "Phạm Đức Đạt", "Hoàng Dũng"]
PEOPLE_SORTED = ["Nguyễn Văn An", "Lê Thị Ánh", "Trần Văn Bình", "Hoàng Dũng", "Phạm Đức Đạt"]


def test_people_sort_by_given_name_first():
    assert sorted(PEOPLE, key=vietnamese_sort_key) == PEOPLE_SORTED
    assert sorted(PEOPLE, key=vietnamese_name_collation_key) == PEOPLE_SORTED


def test_same_given_name_sorts_by_family_then_middle_name():
    people = ["Nguyễn Văn An", "Lê Văn An", "Lê Thị An", "An", "Lê An", "Đỗ Văn An"]
    expected = ["An", "Đỗ Văn An", "Lê An", "Lê Thị An", "Lê Văn An", "Nguyễn Văn An"]
    assert sorted(people, key=vietnamese_sort_key) == expected
    assert sorted(people, key=vietnamese_name_collation_key) == expected


def test_breve_circumflex_horn_and_stroke_letters_follow_their_base():
    given_names = ["Hân", "Đức", "Hà", "Dương", "Hằng", "Duy", "Hạnh", "Ơn", "Ông", "Oanh"]
    expected = ["Duy", "Dương", "Đức", "Hà", "Hạnh", "Hằng", "Hân", "Oanh", "Ông", "Ơn"]
    assert sorted(given_names, key=vietnamese_sort_key) == expected
    assert sorted(given_names, key=vietnamese_collation_key) == expected


def test_letters_before_tones_and_tones_in_dictionary_order():
    words = ["Mai", "Mạ", "Má", "Mác", "Mã", "Mả", "Mà", "Ma"]
    expected = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ", "Mác", "Mai"]
    assert sorted(words, key=vietnamese_text_key) == expected
    assert sorted(words, key=vietnamese_collation_key) == expected


def test_sorting_ignores_case_and_tone_placement():
    assert vietnamese_sort_key("Nguyễn Thị Hòa") == vietnamese_sort_key("NGUYỄN THỊ HOÀ")
    assert vietnamese_name_collation_key("lê thủy") == vietnamese_name_collation_key("Lê Thuỷ")
    assert vietnamese_sort_key("") == () and vietnamese_collation_key("") == ""


def test_collation_key_sorts_the_same_in_sqlite():
    names = [*PEOPLE, "Lê Thị An", "Lê Văn An", "Trần Hằng", "Vũ Hạnh", "Hà Hân", "Đặng Ý"]
    con = sqlite3.connect(":memory:")
    con.execute("create table person (name text, sort_key text)")
    con.executemany(
        "insert into person values (?, ?)", [(n, vietnamese_name_collation_key(n)) for n in names]
    )
    ordered = [row[0] for row in con.execute("select name from person order by sort_key")]
    assert ordered == sorted(names, key=vietnamese_sort_key)


# ---- properties -----------------------------------------------------------------------------

VOWEL_BASES = "aăâeêioôơuưy"
VIETNAMESE_LETTERS = sorted(
    {unicodedata.normalize("NFC", v + t) for v in VOWEL_BASES for t in TONES}
    | set("bcdđghklmnpqrstvxfjwz")
)
VIETNAMESE_CHARS = (
    VIETNAMESE_LETTERS
    + [letter.upper() for letter in VIETNAMESE_LETTERS]
    + TONES[1:]
    + ["\u0306", "\u0302", "\u031b", "\u0308", "\u0327"]  # ă â/ê/ô ơ/ư marks, then foreign
    + list(" \t\n\u00a0\u2000-'.,019")
    + ["İ", "Å", "Ω", "ß", "한", "ǅ", "ø"]
)
vietnamese_text = st.text(st.sampled_from(VIETNAMESE_CHARS), max_size=40)
any_text = st.one_of(vietnamese_text, st.text(max_size=40))

PLAIN = VIETNAMESE_LETTERS + [letter.upper() for letter in VIETNAMESE_LETTERS]
plain_words = st.lists(st.text(st.sampled_from(PLAIN), min_size=1, max_size=8), max_size=5)

INITIALS = ["", "b", "ch", "gh", "gi", "h", "kh", "l", "ng", "ngh", "qu", "th", "tr", "đ"]
NUCLEI = [
    "a",
    "ă",
    "i",
    "y",
    "oa",
    "oe",
    "uy",
    "ua",
    "ia",
    "ai",
    "ưa",
    "ươ",
    "iê",
    "yê",
    "uô",
    "oă",
    "uâ",
    "ưu",
    "oai",
    "uyê",
    "uyu",
    "ươi",
    "iêu",
    "uôi",
    "oeo",
]
FINALS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]


@st.composite
def syllable_spellings(draw):
    """One syllable spelled with its tone on each of its vowels in turn (old, new, wrong)."""
    initial = draw(st.sampled_from(INITIALS))
    nucleus = draw(st.sampled_from(NUCLEI))
    final = draw(st.sampled_from(FINALS))
    tone = draw(st.sampled_from(TONES[1:]))
    upper = draw(st.booleans())
    letters = initial + nucleus + final
    vowels = [i for i, ch in enumerate(letters) if ch in VOWEL_BASES]
    spellings = []
    for i in vowels:
        word = nfd(letters[: i + 1]) + tone + nfd(letters[i + 1 :])
        word = word.upper() if upper else word
        spellings.append(draw(st.sampled_from([nfd(word), unicodedata.normalize("NFC", word)])))
    return spellings


common = settings(deadline=None, max_examples=300)


@common
@given(any_text)
def test_fold_is_idempotent(value):
    assert fold(fold(value)) == fold(value)


@common
@given(any_text)
def test_fold_ignores_normalisation_form_and_tone_placement(value):
    folded = fold(value)
    assert fold(unicodedata.normalize("NFC", value)) == folded
    assert fold(nfd(value)) == folded
    assert fold(nfc(value)) == folded
    assert fold(canonical_tones(value)) == folded


@common
@given(any_text)
def test_canonical_tones_is_idempotent_nfc_and_form_independent(value):
    canonical = canonical_tones(value)
    assert canonical_tones(canonical) == canonical
    assert nfc(canonical) == canonical
    assert canonical_tones(nfd(value)) == canonical


@common
@given(syllable_spellings())
def test_every_tone_position_gives_one_canonical_spelling(spellings):
    canonical = {canonical_tones(spelling) for spelling in spellings}
    assert len(canonical) == 1
    (word,) = canonical
    assert sum(ch in TONES for ch in nfd(word)) == 1


@common
@given(any_text)
def test_name_key_is_idempotent_and_placement_independent(value):
    key = name_key(value)
    assert name_key(key) == key
    assert name_key(canonical_tones(value)) == key
    assert name_key(nfd(value)) == key


@common
@given(plain_words)
def test_name_key_and_sort_keys_ignore_case(words):
    text = " ".join(words)
    assert name_key(text.upper()) == name_key(text.lower())
    assert vietnamese_sort_key(text.upper()) == vietnamese_sort_key(text.lower())
    assert vietnamese_collation_key(text.upper()) == vietnamese_collation_key(text.lower())


@common
@given(any_text)
def test_split_keeps_every_word_in_order(value):
    family, middle, given_name = split_vietnamese_name(value)
    assert " ".join(part for part in (family, middle, given_name) if part) == nfc(value)
    assert bool(given_name) == bool(nfc(value))


@common
@given(any_text, any_text)
def test_collation_key_order_equals_text_key_order(a, b):
    assert cmp(vietnamese_collation_key(a), vietnamese_collation_key(b)) == cmp(
        vietnamese_text_key(a), vietnamese_text_key(b)
    )


@common
@given(any_text, any_text)
def test_name_collation_key_order_equals_sort_key_order(a, b):
    key_a, key_b = vietnamese_name_collation_key(a), vietnamese_name_collation_key(b)
    assert re.fullmatch(r"[0-9a-z]*", key_a)
    assert cmp(key_a, key_b) == cmp(vietnamese_sort_key(a), vietnamese_sort_key(b))


@common
@given(st.lists(st.one_of(vietnamese_text, plain_words.map(" ".join)), max_size=12))
def test_sorting_by_collation_key_equals_sorting_by_sort_key(names):
    by_key = [vietnamese_sort_key(n) for n in sorted(names, key=vietnamese_sort_key)]
    by_string = [vietnamese_sort_key(n) for n in sorted(names, key=vietnamese_name_collation_key)]
    assert by_string == by_key
