"""Reading one cell of an agency's file as the registry needs it: pure functions, no database.

Agencies write dates, degrees, titles, names and citizen IDs in many ways. Each parser takes
what the cell holds (text, a number or a date from the spreadsheet) and returns the value,
or a :class:`Problem` with a stable code and a Vietnamese message saying what to write
instead; fixes made on the way (a leading zero restored, day and month swapped) come back as
warnings. Tables the parsers need (degree synonyms, choice labels) are passed in, built once
per file by `lookups.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from trithuc.core.tabular import ERROR, WARNING
from trithuc.core.text import fold, name_key, nfc
from trithuc.registry import citizen_id as cid

DAY = "day"
YEAR = "year"
MIN_YEAR = 1900
MAX_YEAR = 2100
# Excel counts days from 30/12/1899 (its serial 60 is the 29/02/1900 that never was).
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIALS = (10_000, 80_000)  # 17/05/1927 .. 08/01/2119: a date, not a year or an ID


@dataclass(frozen=True)
class Problem:
    """Why a cell cannot be used as it is (error), or what was assumed (warning)."""

    code: str
    message: str
    severity: str = ERROR


def warning(code: str, message: str) -> Problem:
    return Problem(code, message, WARNING)


def cell_str(value: Any) -> str:
    """A cell as trimmed NFC text (numbers without ".0")."""
    if value is None:
        return ""
    if type(value) is str:
        # Most cells are short, single-spaced and already NFC: skip the regex and normalising.
        simple = "  " not in value and value.isprintable()
        if simple and (value.isascii() or unicodedata.is_normalized("NFC", value)):
            return value.strip()
        return nfc(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


# ---- dates ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedDate:
    value: date
    precision: str  # DAY or YEAR
    warnings: tuple[Problem, ...] = ()


_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)?"
_DMY = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})" + _TIME + r"$")
_YMD = re.compile(r"^(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})" + _TIME + r"$")
_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YEAR_ONLY = re.compile(r"^(\d{4})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
# Folded words: "ngày 15 tháng 3 năm 1975", "15 tháng 03, 1975", "tháng 3/1975", "năm 1975".
_WORDS_DMY = re.compile(
    r"^(?:ngay\s*)?(\d{1,2})\s*(?:thang|th)\s*(\d{1,2})\s*(?:,|nam|/|-)?\s*(?:nam\s*)?(\d{4})$"
)
_WORDS_MY = re.compile(r"^(?:thang\s*)(\d{1,2})\s*(?:nam|/|-|,)?\s*(?:nam\s*)?(\d{4})$")
_WORDS_Y = re.compile(r"^(?:nam|sinh nam)\s*(\d{4})$")


def _unreadable_date(text: str) -> Problem:
    return Problem(
        "invalid_date",
        _(
            "Không đọc được ngày “%(text)s”. Hãy ghi ngày/tháng/năm (15/03/1975) hoặc chỉ năm "
            "(1975)."
        )
        % {"text": text},
    )


def _no_such_day(text: str) -> Problem:
    return Problem(
        "invalid_date",
        _("Ngày “%(text)s” không có trên lịch. Hãy kiểm tra lại ngày và tháng.") % {"text": text},
    )


def _year_in_range(year: int, text: str) -> Problem | None:
    if MIN_YEAR <= year <= MAX_YEAR:
        return None
    return Problem(
        "invalid_date",
        _("Năm %(year)s trong “%(text)s” không hợp lý. Hãy kiểm tra lại.")
        % {"year": year, "text": text},
    )


def excel_serial_date(serial: float) -> date:
    return EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: Any, *, today: date | None = None) -> ParsedDate | Problem | None:
    """A date as agencies write it; None for an empty cell.

    Accepted: a date cell; dd/mm/yyyy with / . or - ; d/m/yy (the century that does not put
    the date in the future, with a warning); yyyy-mm-dd; the year alone (precision "year");
    mm/yyyy (kept as the year, with a warning); an Excel serial number (27468); words
    ("15 tháng 3 năm 1975"). A day above 12 written in the month's place is swapped back,
    with a warning.
    """
    today = today or date.today()
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return ParsedDate(value.date(), DAY)
    if isinstance(value, date):
        return ParsedDate(value, DAY)
    if isinstance(value, bool):
        return _unreadable_date(str(value))
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and MIN_YEAR <= number <= MAX_YEAR:
            return ParsedDate(date(int(number), 1, 1), YEAR)
        if EXCEL_SERIALS[0] <= number < EXCEL_SERIALS[1]:
            return ParsedDate(excel_serial_date(number), DAY)
        return _unreadable_date(cell_str(value))
    text = nfc(str(value))
    compact = text.strip().rstrip(".")
    if match := _YEAR_ONLY.match(compact):
        year = int(match[1])
        return _year_in_range(year, text) or ParsedDate(date(year, 1, 1), YEAR)
    if match := _SERIAL.match(compact):
        serial = float(compact)
        if EXCEL_SERIALS[0] <= serial < EXCEL_SERIALS[1]:
            return ParsedDate(
                excel_serial_date(serial),
                DAY,
                (
                    warning(
                        "excel_serial",
                        _(
                            "“%(text)s” được hiểu là số ngày của Excel: %(date)s. Hãy định dạng "
                            "ô là ngày hoặc ghi dd/mm/yyyy."
                        )
                        % {
                            "text": text,
                            "date": excel_serial_date(serial).strftime("%d/%m/%Y"),
                        },
                    ),
                ),
            )
    if match := _YMD.match(compact):
        return _from_parts(int(match[4]), int(match[3]), int(match[1]), text, ())
    if match := _DMY.match(compact):
        day, month, year_text = int(match[1]), int(match[3]), match[4]
        notes: tuple[Problem, ...] = ()
        if len(year_text) == 2:
            yy = int(year_text)
            year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
            notes = (
                warning(
                    "two_digit_year",
                    _("Năm ghi 2 chữ số “%(yy)s” được hiểu là %(year)s. Hãy ghi đủ 4 chữ số.")
                    % {"yy": year_text, "year": year},
                ),
            )
        else:
            year = int(year_text)
        return _from_parts(day, month, year, text, notes)
    folded = fold(compact)
    if match := _WORDS_DMY.match(folded):
        return _from_parts(int(match[1]), int(match[2]), int(match[3]), text, ())
    month_year = _MY.match(compact) or _WORDS_MY.match(folded)
    if month_year:
        month, year = int(month_year[1]), int(month_year[2])
        if not 1 <= month <= 12:
            return _no_such_day(text)
        return _year_in_range(year, text) or ParsedDate(
            date(year, 1, 1),
            YEAR,
            (
                warning(
                    "month_year_only",
                    _("“%(text)s” chỉ có tháng và năm: hệ thống ghi năm %(year)s.")
                    % {"text": text, "year": year},
                ),
            ),
        )
    if match := _WORDS_Y.match(folded):
        year = int(match[1])
        return _year_in_range(year, text) or ParsedDate(date(year, 1, 1), YEAR)
    return _unreadable_date(text)


def _from_parts(
    day: int, month: int, year: int, text: str, notes: tuple[Problem, ...]
) -> ParsedDate | Problem:
    if problem := _year_in_range(year, text):
        return problem
    if month > 12 and 1 <= day <= 12:
        day, month = month, day
        notes = (
            *notes,
            warning(
                "day_month_swapped",
                _(
                    "“%(text)s” có tháng lớn hơn 12: đã hiểu là ngày %(day)s tháng %(month)s. "
                    "Hãy ghi theo thứ tự ngày/tháng/năm."
                )
                % {"text": text, "day": day, "month": month},
            ),
        )
    try:
        return ParsedDate(date(year, month, day), DAY, notes)
    except ValueError:
        return _no_such_day(text)


def parse_year(value: Any, *, label: str) -> int | Problem | None:
    """A year (graduation, recognition): 2005, "2005", a date cell, "15/06/2005"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = parse_date(value)
    if isinstance(parsed, ParsedDate):
        return parsed.value.year
    text = cell_str(value)
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
    if years and all(MIN_YEAR <= int(y) <= MAX_YEAR for y in years):
        return int(years[-1])
    return Problem(
        "invalid_year",
        _("Không đọc được %(label)s “%(text)s”. Hãy ghi năm 4 chữ số, ví dụ 2005.")
        % {"label": label, "text": text},
    )


# ---- gender and choices -----------------------------------------------------------------------

MALE, FEMALE = "male", "female"
_GENDERS = {
    "nam": MALE, "male": MALE, "m": MALE, "trai": MALE, "ong": MALE,
    "nu": FEMALE, "female": FEMALE, "f": FEMALE, "gai": FEMALE, "ba": FEMALE,
}  # fmt: skip


def parse_gender(value: Any) -> str | Problem | None:
    text = cell_str(value)
    if not text:
        return None
    found = _GENDERS.get(fold(text).strip(". "))
    if found:
        return found
    return Problem(
        "invalid_gender",
        _("Không rõ giới tính “%(text)s”. Hãy ghi Nam hoặc Nữ.") % {"text": text},
    )


def choice_key(text: str) -> str:
    """A label compared loosely: folded, letters and digits only."""
    return re.sub(r"[^0-9a-z]+", "", fold(text))


def parse_choice(
    value: Any, options: Mapping[str, str], *, label: str, listed: Iterable[str]
) -> str | Problem | None:
    """One of a choice list, by its label or value written loosely (see :func:`choice_key`)."""
    text = cell_str(value)
    if not text:
        return None
    found = options.get(choice_key(text))
    if found is not None:
        return found
    return Problem(
        "invalid_choice",
        _("“%(text)s” không có trong danh mục %(label)s. Hãy ghi một trong: %(list)s.")
        % {"text": text, "label": label, "list": "; ".join(listed)},
    )


# ---- names ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedName:
    display: str  # NFC, single spaces, each word capitalised; tone placement as typed
    prefix: str = ""  # an academic prefix written before the name ("PGS.TS.")
    problems: tuple[Problem, ...] = ()

    @property
    def key(self) -> str:
        """Canonical tone placement, lower case: for matching ("Hòa" and "Hoà" alike)."""
        return name_key(self.display)


# "PGS.TS. Nguyễn Văn An", "ThS. BS. Lê Thị Hoa": abbreviations each followed by a dot.
_NAME_PREFIX = re.compile(
    r"^((?:(?:GS|PGS|TSKH|TS|ThS|Th\.S|T\.S|BSCKII|BSCKI|BS|KS|CN|DS|KTS|NCS)\s*\.\s*)+)",
    re.IGNORECASE,
)
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:['’\-][^\W\d_]+)*$")
MAX_NAME_LENGTH = 150


def _capitalise(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def parse_name(value: Any) -> ParsedName | Problem | None:
    """A full name: NFC, spaces, capitals fixed; an academic prefix taken apart."""
    text = cell_str(value)
    if not text:
        return None
    prefix = ""
    if match := _NAME_PREFIX.match(text):
        rest = text[match.end() :].strip()
        if len(rest.split()) >= 2:
            prefix, text = match[1].strip(), rest
    words = text.replace(",", " ").split()
    if any(not _NAME_CHARS.match(word) for word in words):
        return Problem(
            "invalid_name",
            _(
                "Họ và tên “%(text)s” có chữ số hoặc ký hiệu. Hãy ghi họ, tên đệm và tên bằng "
                "chữ, ví dụ Nguyễn Thị Minh Khai."
            )
            % {"text": text},
        )
    display = " ".join(_capitalise(word) for word in words)
    if len(display) > MAX_NAME_LENGTH:
        return Problem(
            "too_long",
            _("Họ và tên dài %(n)s ký tự, tối đa %(max)s. Hãy kiểm tra lại.")
            % {"n": len(display), "max": MAX_NAME_LENGTH},
        )
    problems: list[Problem] = []
    if len(words) < 2:
        problems.append(
            warning(
                "name_one_word",
                _("Họ và tên “%(text)s” chỉ có một chữ. Hãy ghi đủ họ, tên đệm và tên.")
                % {"text": display},
            )
        )
    if prefix:
        problems.append(
            warning(
                "name_prefix",
                _("Đã tách “%(prefix)s” khỏi họ tên; học hàm, học vị hãy ghi ở cột riêng.")
                % {"prefix": prefix},
            )
        )
    return ParsedName(display, prefix, tuple(problems))


# ---- citizen ID -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedCitizenId:
    number: str  # empty: nothing to store (an old 9-digit ID card number, with a warning)
    problems: tuple[Problem, ...] = ()


_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d{1,2}$")


def parse_citizen_id(
    value: Any, *, gender: str | None, birth_year: int | None
) -> ParsedCitizenId | Problem | None:
    """A 12-digit citizen ID written with spaces or dots, as a number that lost its leading
    zero (restored, with a warning) or in Excel's scientific notation; checked against the
    gender and birth year (registry/citizen_id.py)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    notes: list[Problem] = []
    raw: str | int
    if isinstance(value, float):
        raw = int(value) if value.is_integer() else str(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        raw = value
    else:
        raw = cell_str(value)
        if _SCIENTIFIC.match(raw):
            try:
                raw = int(Decimal(raw.replace(",", ".")))
            except InvalidOperation:
                pass
            else:
                notes.append(
                    warning(
                        "citizen_id_scientific",
                        _(
                            "Số định danh bị Excel viết dạng số mũ; đã đọc là %(n)s. Hãy định "
                            "dạng cột là Văn bản (Text) để Excel không làm mất chữ số."
                        )
                        # Kept in the batch's report: never the whole number in clear.
                        % {"n": cid.masked_last_digits(str(raw)[-3:])},
                    )
                )
    number, fixes = cid.normalize(raw)
    if number.isdigit() and len(number) == 10 and "00" + number[:1] in cid.PROVINCE_CODES:
        # Hà Nội's 001… with a man's 0 after it loses three zeros, not one, as a number.
        number = "00" + number
        fixes.append("leading_zero_restored")
    if number.isdigit() and len(number) == 9:
        return ParsedCitizenId(
            "",
            (
                warning(
                    "old_id_card",
                    _(
                        "“%(n)s” là số chứng minh nhân dân 9 chữ số cũ, không được ghi. Hãy "
                        "ghi số định danh cá nhân 12 chữ số (trên thẻ căn cước)."
                    )
                    % {"n": "•" * 6 + number[-3:]},
                ),
            ),
        )
    if "leading_zero_restored" in fixes:
        notes.append(
            warning(
                "citizen_id_zero_restored",
                _(
                    "Số định danh thiếu chữ số 0 ở đầu (Excel đã bỏ khi coi là số); đã thêm lại "
                    "thành %(n)s. Hãy định dạng cột là Văn bản (Text)."
                )
                % {"n": cid.masked_last_digits(number[-3:])},
            )
        )
    parsed = cid.parse(number, gender=gender, birth_year=birth_year)
    if isinstance(parsed, cid.CitizenIdProblem):
        return Problem(f"citizen_id_{parsed.code}", parsed.message)
    return ParsedCitizenId(parsed.number, tuple(notes))


# ---- titles and degrees -----------------------------------------------------------------------

TITLE_KEYS = {
    "gs": "GS", "giaosu": "GS", "prof": "GS", "professor": "GS",
    "pgs": "PGS", "phogiaosu": "PGS", "assocprof": "PGS", "associateprofessor": "PGS",
}  # fmt: skip
# Spellings the degree table's synonyms (DegreeLevel.synonyms, registry/data/degree_levels.json)
# miss, by degree code, as compact keys; the table's own names and synonyms come first.
EXTRA_DEGREE_KEYS = {
    "TS": ["dr"],
    "BSCKII": ["bsck2", "bacsichuyenkhoa2"],
    "THS": ["master"],
    "BSCKI": ["bsck1", "bacsichuyenkhoa1"],
    "CN": ["bachelor"],
    "KS": ["kisu"],
}
_MAX_KEY_WORDS = 6
_WORD = re.compile(r"[^\W_]+")


def compact_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", fold(text))


@dataclass(frozen=True)
class DegreeTable:
    """Degree spellings (compact folded keys) to degree codes, and each code's rank."""

    keys: Mapping[str, str]
    ranks: Mapping[str, int]
    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, levels: Iterable[Mapping[str, Any]]) -> DegreeTable:
        """From the DegreeLevel rows (code, name, abbreviation, rank, synonyms)."""
        keys: dict[str, str] = {}
        ranks: dict[str, int] = {}
        names: dict[str, str] = {}
        for level in levels:
            code = level["code"]
            ranks[code] = level["rank"]
            names[code] = level["name"]
            spellings = [code, level["name"], level.get("abbreviation") or "",
                         *level.get("synonyms", []), *EXTRA_DEGREE_KEYS.get(code, [])]  # fmt: skip
            for spelling in spellings:
                key = compact_key(spelling)
                if key and key not in keys:
                    keys[key] = code
        return cls(keys=keys, ranks=ranks, names=names)


@dataclass(frozen=True)
class TitleDegree:
    title: str = ""  # "GS", "PGS" or ""
    degree: str = ""  # a DegreeLevel code or ""
    rest: str = ""  # what follows: the major ("Thạc sĩ Kinh tế" → "Kinh tế")


def parse_title_degree(value: Any, table: DegreeTable) -> TitleDegree | Problem | None:
    """Title and degree from the way agencies write them: "PGS.TS", "PGS. TS.", "GS.TSKH",
    "Tiến sỹ", "Th.S", "BS CKII", "KS", "Thạc sĩ Quản lý công" (the major comes back in
    `rest`). Of several degrees the highest is kept."""
    text = cell_str(value)
    if not text:
        return None
    tokens = [(m.start(), m.end(), compact_key(m.group())) for m in _WORD.finditer(text)]
    title, degrees, position = "", [], 0
    while position < len(tokens):
        if position and not _continues(text, tokens, position):
            break
        matched = _match_at(tokens, position, table)
        if matched is None:
            break
        kind, code, position = matched
        if kind == "title":
            title = title if TITLE_RANK.get(title, 0) >= TITLE_RANK[code] else code
        elif kind == "title+degree":
            title_code, degree_code = code.split("|")
            title = title or title_code
            degrees.append(degree_code)
        else:
            degrees.append(code)
    if not title and not degrees:
        return Problem(
            "unknown_degree",
            _(
                "Không nhận ra học hàm, học vị “%(text)s”. Hãy ghi theo danh mục, ví dụ: GS, "
                "PGS, TSKH, TS, ThS, BSCKII, BSCKI, CN, KS, BS, Cao đẳng."
            )
            % {"text": text},
        )
    degree = max(degrees, key=lambda c: table.ranks.get(c, 0), default="")
    rest = text[tokens[position][0] :].strip(" .,;:-–") if position < len(tokens) else ""
    rest = re.sub(r"^(?:chuyên ngành|ngành)\s*:?\s*", "", rest, flags=re.IGNORECASE)
    return TitleDegree(title=title, degree=degree, rest=rest)


TITLE_RANK = {"": 0, "PGS": 1, "GS": 2}


def _continues(text: str, tokens: list[tuple[int, int, str]], position: int) -> bool:
    """Whether the token at `position` may still be a title or degree: it follows a dot,
    comma, slash or dash, or is written in capitals ("PGS TS"), so that "Kỹ sư Ba Lan"
    does not read "Ba" as a bachelor's degree."""
    start = tokens[position][0]
    between = text[tokens[position - 1][1] : start]
    word = text[start : tokens[position][1]]
    return bool(re.search(r"[.,/;+\-–]", between)) or (word.isupper() and len(word) > 1)


def _match_at(
    tokens: list[tuple[int, int, str]], position: int, table: DegreeTable
) -> tuple[str, str, int] | None:
    """The longest title or degree spelling starting at `position` (several words joined:
    "Th" "S" → "ths", "BS" "CKII" → "bsckii"), or a word that is a title glued to a degree
    ("PGSTS")."""
    for end in range(min(len(tokens), position + _MAX_KEY_WORDS), position, -1):
        key = "".join(token[2] for token in tokens[position:end])
        if key in TITLE_KEYS:
            return "title", TITLE_KEYS[key], end
        if key in table.keys:
            return "degree", table.keys[key], end
    word = tokens[position][2]
    for title_key in ("pgs", "gs"):
        if word.startswith(title_key) and word[len(title_key) :] in table.keys:
            return (
                "title+degree",
                f"{TITLE_KEYS[title_key]}|{table.keys[word[len(title_key) :]]}",
                (position + 1),
            )
    return None


# ---- contacts ---------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_email(value: Any) -> str | Problem | None:
    text = cell_str(value).strip().lower()
    if not text:
        return None
    if _EMAIL.match(text) and len(text) <= 254:
        return text
    return Problem(
        "invalid_email",
        _("Thư điện tử “%(text)s” không hợp lệ. Hãy ghi dạng ten@coquan.gov.vn.") % {"text": text},
    )


def parse_phone(value: Any) -> str | Problem | None:
    """A phone number: digits, spaces, dots, dashes, a leading +; a number that lost its
    leading zero (9 digits) gets it back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = cell_str(value)
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    if not re.fullmatch(r"[+\d\s.\-()]+", text) or not 8 <= len(digits) <= 15:
        return Problem(
            "invalid_phone",
            _("Số điện thoại “%(text)s” không hợp lệ. Hãy ghi chữ số, ví dụ 0912 345 678.")
            % {"text": text},
        )
    if isinstance(value, int) and len(digits) == 9:
        text = "0" + digits
    return text[:32]
