"""Vietnamese text: NFC on the way in, one folding function for search and matching.

- :func:`nfc` normalises input (NFC, single spaces, trimmed).
- :func:`fold` is the accent- and case-insensitive key for search.
- :func:`canonical_tones` puts tone marks in one position ("hòa" → "hoà"), so that old and
  new style spellings of the same word are the same string; :func:`name_key` builds on it to
  match people's names with their diacritics kept.
- :func:`split_vietnamese_name`, :func:`vietnamese_sort_key` and
  :func:`vietnamese_name_collation_key` sort people the way Vietnamese agencies do (given name
  first); :func:`vietnamese_text_key` and :func:`vietnamese_collation_key` are the same order
  for any text. The ``*_collation_key`` functions return ASCII strings whose plain byte order
  is that order, for a stored column that sorts alike on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby
from typing import TypeAlias

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """NFC with runs of whitespace collapsed to one space and the ends trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def fold(value: str) -> str:
    """Accent- and case-insensitive key: NFD, drop marks, đ→d, lower case, single spaces.

    Dropping every mark also makes old and new tone placement ("hòa"/"hoà") fold alike.
    """
    decomposed = unicodedata.normalize("NFD", value or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.lower()).strip()


# ---- tone placement -------------------------------------------------------------------------

# The five tone marks (dấu thanh) as combining characters, in Vietnamese dictionary order.
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONE_RANK = {_GRAVE: 1, _HOOK: 2, _TILDE: 3, _ACUTE: 4, _DOT: 5}  # huyền hỏi ngã sắc nặng

# Marks that make a letter of its own (ă â ê ô ơ ư), keyed by (base letter, mark).
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_VOWELS = frozenset("aăâeêioôơuưy")
_MARKED_VOWELS = frozenset("ăâêôơư")

# Onsets (phụ âm đầu), "gi" and "qu" included, and codas (phụ âm cuối).
_INITIALS = frozenset(
    ["", "gi", "qu", "ngh", "ng", "nh", "ch", "gh", "kh", "ph", "th", "tr", *"bcdđghklmnprstvx"]
)
_FINALS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])

# Vowel groups (medial glide + main vowel + final glide) that Vietnamese spelling allows.
_PAIRS = "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê"
_TRIPLES = "iêu yêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu uêu"
_NUCLEI = frozenset([*_VOWELS, *_PAIRS.split(), *_TRIPLES.split()])
# Open syllables whose tone moved in the reformed ("new style") spelling: hoà, khoẻ, thuỷ.
_NEW_STYLE_PAIRS = frozenset(["oa", "oe", "uy"])

_Unit: TypeAlias = list[str]  # [base character, letter-making mark or "", tone mark or ""]


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _is_word_char(ch: str) -> bool:
    return ch.isalpha() or _is_mark(ch)


def _units(word: str) -> list[_Unit] | None:
    """Split an NFC word into letters with their marks, or None if it is not Vietnamese-shaped.

    Refused: a leading mark, a mark other than the five tones and the six letter-making marks,
    a letter-making mark on the wrong letter, two of a kind on one letter.
    """
    units: list[_Unit] = []
    for ch in unicodedata.normalize("NFD", word):
        if not _is_mark(ch):
            units.append([ch, "", ""])
        elif not units:
            return None
        elif ch in _TONE_RANK and not units[-1][2]:
            units[-1][2] = ch
        elif (units[-1][0].lower(), ch) in _LETTER_MARKS and not units[-1][1]:
            units[-1][1] = ch
        else:
            return None
    return units


def _letter(unit: _Unit) -> str:
    base = unit[0].lower()
    return _LETTER_MARKS.get((base, unit[1]), base)


def _tone_index(letters: list[str]) -> int | None:
    """Index of the letter that carries the tone in a syllable, or None if not a syllable.

    Rules (quy tắc đặt dấu thanh, the "new style" of the school spelling rules since the 1980s):

    1. "gi" and "qu" before another vowel are onsets, not part of the vowel group
       (giá, quý, quyền).
    2. A vowel with its own mark (ă â ê ô ơ ư) takes the tone; of two (ươ) the last
       (thuyền, người, rượu, cứu).
    3. Otherwise, a closed syllable takes it on the last vowel (hoàng, huỳnh).
    4. Otherwise, an open syllable takes it on the middle of three vowels (ngoài, khuỷu), on
       the second of oa/oe/uy (hoà, khoẻ, thuỷ) and on the first of any other pair
       (mùa, núi, mía).
    """
    start = 0
    while start < len(letters) and letters[start] not in _VOWELS:
        start += 1
    if start == len(letters):
        return None
    initial = "".join(letters[:start])
    has_next_vowel = start + 1 < len(letters) and letters[start + 1] in _VOWELS
    if has_next_vowel and (initial, letters[start]) in (("g", "i"), ("q", "u")):
        initial += letters[start]
        start += 1
    end = start
    while end < len(letters) and letters[end] in _VOWELS:
        end += 1
    nucleus = "".join(letters[start:end])
    final = "".join(letters[end:])
    if initial not in _INITIALS or final not in _FINALS or nucleus not in _NUCLEI:
        return None
    marked = [i for i, letter in enumerate(nucleus) if letter in _MARKED_VOWELS]
    if marked:
        offset = marked[-1]
    elif final:
        offset = len(nucleus) - 1
    elif len(nucleus) == 3 or nucleus in _NEW_STYLE_PAIRS:
        offset = 1
    else:
        offset = 0
    return start + offset


def _canonical_word(word: str) -> str:
    units = _units(word)
    if units is None:
        return word
    toned = [unit for unit in units if unit[2]]
    if len(toned) != 1 or _letter(toned[0]) not in _VOWELS:
        return word
    target = _tone_index([_letter(unit) for unit in units])
    if target is None:
        return word
    tone = toned[0][2]
    rebuilt = "".join(
        base + mark + (tone if i == target else "") for i, (base, mark, _) in enumerate(units)
    )
    return unicodedata.normalize("NFC", rebuilt)


def canonical_tones(value: str) -> str:
    """Put every Vietnamese tone mark in its one canonical ("new style") position.

    "Khánh Hòa" and "Khánh Hoà" both give "Khánh Hoà"; "thủy" → "thuỷ", "khỏe" → "khoẻ";
    "hoàng", "quý", "giá", "thuyền", "nghiêng", "người", "khuỷu" are already canonical. A tone
    typed on the wrong vowel ("hòang") is moved too. See :func:`_tone_index` for the rules.

    The text first goes through :func:`nfc` (NFC, single spaces, trimmed), so the result is
    always ``nfc``-normal. Each word (a run of letters and combining marks) is handled on its
    own and keeps the case of every letter; a word that is not one Vietnamese syllable with one
    tone on a vowel ("café", "José", "Đắk", anything with other marks) is left as it is.
    """
    parts = (
        "".join(chars) if not is_word else _canonical_word("".join(chars))
        for is_word, chars in groupby(nfc(value), key=_is_word_char)
    )
    return unicodedata.normalize("NFC", "".join(parts))


def name_key(value: str) -> str:
    """Key for matching people's names: canonical tones, NFC, lower case, single spaces.

    Unlike :func:`fold` it keeps diacritics, so "Hòa"/"hoà" match but "Hoà"/"Hòe" do not.
    """
    return unicodedata.normalize("NFC", canonical_tones(value).lower())


# ---- names and sorting ----------------------------------------------------------------------


def split_vietnamese_name(full_name: str) -> tuple[str, str, str]:
    """Split a name into (family, middle, given): "Nguyễn Thị Minh Khai" → Nguyễn, Thị Minh, Khai.

    The first word is the family name (họ), the last the given name (tên), the words between
    the middle name (tên đệm). One word is taken as a given name alone, two as family + given.
    The parts are ``nfc``-normalised, case kept. Compound family names ("Tôn Thất") cannot be
    told from a middle name by their spelling: their second word ends up in the middle name,
    which changes nothing for sorting (family, then middle, word by word).
    """
    words = nfc(full_name).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


# The Vietnamese alphabet, with the four Latin letters it lacks (f j w z) in their Latin place.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_DIGIT_WEIGHTS = {str(d): d for d in range(10)}  # ASCII digits first: 0-9
_LETTER_WEIGHTS = {letter: 10 + i for i, letter in enumerate(_ALPHABET)}  # then letters: 10-43
_OTHER_WEIGHT = 10 + len(_ALPHABET)  # then anything else, by code point: 44 + ord

WordKey: TypeAlias = tuple[tuple[int, ...], tuple[int, ...]]
"""A word's key: (letter weights, tone of each letter: 0 none, 1 huyền … 5 nặng)."""
TextKey: TypeAlias = tuple[WordKey, ...]


def _word_key(word: str) -> WordKey:
    letters: list[int] = []
    tones: list[int] = []
    base, letter_mark, tone = "", "", ""

    def flush() -> None:
        if base:
            letter = _LETTER_MARKS.get((base, letter_mark), base)
            weight = _DIGIT_WEIGHTS.get(letter, _LETTER_WEIGHTS.get(letter, -1))
            letters.append(weight if weight >= 0 else _OTHER_WEIGHT + ord(base))
            tones.append(_TONE_RANK.get(tone, 0))

    for ch in unicodedata.normalize("NFD", word):
        if not _is_mark(ch):
            flush()
            base, letter_mark, tone = ch, "", ""
        elif ch in _TONE_RANK and not tone:
            tone = ch
        elif (base, ch) in _LETTER_MARKS and not letter_mark:
            letter_mark = ch
        # any other mark, or a mark with no letter before it, is ignored
    flush()
    return tuple(letters), tuple(tones)


def vietnamese_text_key(text: str) -> TextKey:
    """Sort key for any text in Vietnamese alphabetical order, case-insensitive.

    Convention: the letter and tone order of the Unicode CLDR/ICU "vi" collation (tones
    grave < hook < tilde < acute < dot below), which is also the usual dictionary order:

    - letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with f j w z in their
      Latin places; ASCII digits before letters; anything else after, by code point; other
      marks (ö, ç) are ignored;
    - words are compared one by one, each first by its letters, then by its tone: none, huyền,
      hỏi, ngã, sắc, nặng (ma < mà < mả < mã < má < mạ < mai < mái). CLDR compares tones only
      after the letters of the whole string; comparing them word by word, like a dictionary
      compares syllables, gives the same result for single words such as given names;
    - old and new tone placement are equal (:func:`canonical_tones` is applied first).
    """
    words = canonical_tones(text).lower().split()
    keys = (_word_key(word) for word in words)
    return tuple(key for key in keys if key[0])


def vietnamese_sort_key(full_name: str) -> TextKey:
    """Sort key for people's names, the way Vietnamese agencies sort lists of people.

    Given name first, then family name, then middle name(s), each compared with
    :func:`vietnamese_text_key`: "Nguyễn Văn An" < "Lê Thị Ánh" < "Trần Văn Bình" <
    "Hoàng Dũng" < "Phạm Đức Đạt". A plain tuple of tuples of ints, for ``sorted(key=...)``;
    :func:`vietnamese_name_collation_key` is the same order as a string.
    """
    family, middle, given = split_vietnamese_name(full_name)
    return vietnamese_text_key(" ".join(part for part in (given, family, middle) if part))


_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_SHORT = 34 * 36  # weights below this take two characters whose first is "1".."y"


def _encode_weight(weight: int) -> str:
    if weight < _SHORT:
        return _BASE36[1 + weight // 36] + _BASE36[weight % 36]
    rest = weight - _SHORT  # < 36**4: code points end at 0x10FFFF
    digits = "".join(_BASE36[(rest // 36**power) % 36] for power in (3, 2, 1, 0))
    return "z" + digits


def _encode(key: TextKey) -> str:
    """Order-preserving encoding of a :data:`TextKey` into ``[0-9a-z]*``.

    Each word is its letter weights (two characters, or "z" and four for rare code points,
    never starting with "0"), then "0", then one digit per letter for its tone. "0" is below
    any weight's first character, so a word that is a prefix of another sorts first; tones are
    only reached when the letters are equal, hence of equal length; a text that is a prefix of
    another gives a prefix string. So comparing the strings compares the keys.
    """
    return "".join(
        "".join(map(_encode_weight, letters)) + "0" + "".join(map(str, tones))
        for letters, tones in key
    )


def vietnamese_collation_key(text: str) -> str:
    """:func:`vietnamese_text_key` as a string: ``a < b`` exactly when their keys are.

    Only ASCII digits and lower-case letters, so the plain byte order used by SQLite (BINARY)
    and by PostgreSQL with ``COLLATE "C"`` (``db_collation="C"`` on the field, the safe choice)
    is the Vietnamese order; no NUL bytes. About three characters per letter.
    """
    return _encode(vietnamese_text_key(text))


def vietnamese_name_collation_key(full_name: str) -> str:
    """:func:`vietnamese_sort_key` as a string, for a stored sort column of people's names."""
    return _encode(vietnamese_sort_key(full_name))
