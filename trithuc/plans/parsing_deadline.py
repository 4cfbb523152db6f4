"""Deadlines as plans write them: "Quý II/2024", "Thường xuyên", "Thực hiện từ năm 2024"…

The text is folded (no accents, lower case) and scanned for time references — dates,
months, quarters, half-years, years and ranges of them — and for the words around them that
change their meaning: "từ" (from), "đến" (until), "trước" (before), "hàng năm" (yearly),
"thường xuyên" (ongoing). See :func:`parse_deadline`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from trithuc.core.text import fold, nfc

from .parsing_types import (
    KIND_DATE,
    KIND_FROM,
    KIND_QUARTER,
    KIND_RECURRING,
    KIND_YEAR,
    ONGOING,
    QUARTERLY,
    YEARLY,
    Deadline,
)

MAX_DEADLINE_CHARS = 500

_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_R = r"(iv|iii|ii|i|[1-4])"
_YEAR = r"((?:19|20)\d{2})"
_SEP = r"\s*(?:/|nam|-|,)?\s*"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter(year: int, quarter: int) -> tuple[date, date]:
    return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)


@dataclass
class _Ref:
    """One time reference found in the text."""

    kind: str  # the Deadline kind it gives on its own
    start: date
    end: date
    pos: int
    endpos: int
    is_range: bool = False
    yearless: bool = False
    note: str = ""


# A builder turns a match (and the year to use when the text gives none) into
# (kind, start, end, is_range); it returns None when the match needs a year it does not have.
_Bounds = tuple[str, date, date, bool]
_Builder = Callable[[re.Match[str], int | None], _Bounds | None]


def _year(match: re.Match[str], group: int, fallback: int | None) -> int | None:
    value = match.group(group)
    return int(value) if value else fallback


def _full_date(day: int, month: int, year: int) -> _Bounds:
    when = date(year, month, day)
    return KIND_DATE, when, when, False


def _b_date_words(m: re.Match[str], _y: int | None) -> _Bounds:
    return _full_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _b_iso(m: re.Match[str], _y: int | None) -> _Bounds:
    return _full_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))


def _b_date(m: re.Match[str], _y: int | None) -> _Bounds:
    return _full_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))


def _b_day_month(m: re.Match[str], year: int | None) -> _Bounds | None:
    if year is None:
        return None
    return _full_date(int(m.group(1)), int(m.group(2)), year)


def _b_half(m: re.Match[str], year: int | None) -> _Bounds | None:
    y = _year(m, 2, year)
    if y is None:
        return None
    if m.group(1) == "dau":
        return KIND_DATE, date(y, 1, 1), date(y, 6, 30), False
    return KIND_DATE, date(y, 7, 1), date(y, 12, 31), False


def _b_quarter_range(m: re.Match[str], year: int | None) -> _Bounds | None:
    y = _year(m, 3, year)
    if y is None:
        return None
    first, last = sorted((_QUARTERS[m.group(1)], _QUARTERS[m.group(2)]))
    return KIND_QUARTER, _quarter(y, first)[0], _quarter(y, last)[1], True


def _b_quarter(m: re.Match[str], year: int | None) -> _Bounds | None:
    y = _year(m, 2, year)
    if y is None:
        return None
    start, end = _quarter(y, _QUARTERS[m.group(1)])
    return KIND_QUARTER, start, end, False


def _b_month_range(m: re.Match[str], _y: int | None) -> _Bounds:
    y = int(m.group(3))
    first, last = sorted((int(m.group(1)), int(m.group(2))))
    return KIND_DATE, date(y, first, 1), _month_end(y, last), True


def _b_month(m: re.Match[str], year: int | None) -> _Bounds | None:
    y = _year(m, 2, year)
    if y is None:
        return None
    month = int(m.group(1))
    return KIND_DATE, date(y, month, 1), _month_end(y, month), False


def _b_part_of_year(m: re.Match[str], _y: int | None) -> _Bounds:
    y = int(m.group(2))
    if m.group(1) == "cuoi":
        return KIND_YEAR, date(y, 1, 1), date(y, 12, 31), False
    if m.group(1) == "giua":
        return KIND_DATE, date(y, 1, 1), date(y, 6, 30), False
    return KIND_QUARTER, date(y, 1, 1), date(y, 3, 31), False


def _b_year_range(m: re.Match[str], _y: int | None) -> _Bounds:
    first, last = sorted((int(m.group(1)), int(m.group(2))))
    return KIND_YEAR, date(first, 1, 1), date(last, 12, 31), True


def _b_year(m: re.Match[str], _y: int | None) -> _Bounds:
    y = int(m.group(1))
    return KIND_YEAR, date(y, 1, 1), date(y, 12, 31), False


# In order: the longer forms first, each match is blanked out before the next pattern runs.
# The flag says whether a match without a year of its own needs the document's year.
_PATTERNS: tuple[tuple[re.Pattern[str], _Builder, bool], ...] = (
    (re.compile(rf"ngay\s*(\d{{1,2}})\s*thang\s*(\d{{1,2}})\s*nam\s*{_YEAR}"), _b_date_words,
     False),
    (re.compile(rf"(?<!\d){_YEAR}-(\d{{1,2}})-(\d{{1,2}})(?!\d)"), _b_iso, False),
    (re.compile(rf"(?<![\d/.])(\d{{1,2}})\s*([/.-])\s*(\d{{1,2}})\s*\2\s*{_YEAR}(?!\d)"),
     _b_date, False),
    (re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})(?!\d)"), _b_day_month, True),
    (re.compile(rf"(?:6|sau)\s*thang\s*(dau|cuoi)(?:\s*nam)?(?:\s*{_YEAR})?"), _b_half, True),
    (re.compile(rf"nua\s*(dau|cuoi)(?:\s*nam)?(?:\s*{_YEAR})?"), _b_half, True),
    (re.compile(
        rf"(?<![a-z])(?:quy|q)\.?\s*{_R}\s*(?:-|den|toi|,|va)\s*(?:quy|q)?\.?\s*{_R}"
        rf"(?![a-z0-9])(?:{_SEP}{_YEAR}(?!\d))?"
    ), _b_quarter_range, True),
    (re.compile(rf"(?<![a-z])(?:quy|q)\.?\s*{_R}(?![a-z0-9])(?:{_SEP}{_YEAR}(?!\d))?"),
     _b_quarter, True),
    (re.compile(
        rf"(?<![a-z])thang\s*(\d{{1,2}})\s*(?:-|den|toi|,|va)\s*(?:thang\s*)?(\d{{1,2}})"
        rf"\s*(?:/|nam|-)\s*{_YEAR}(?!\d)"
    ), _b_month_range, False),
    (re.compile(rf"(?<![a-z])thang\s*(\d{{1,2}})(?!\d)(?:\s*(?:/|nam|-)\s*{_YEAR}(?!\d))?"),
     _b_month, True),
    (re.compile(rf"(?<![a-z0-9])t\.?\s*(\d{{1,2}})\s*/\s*{_YEAR}(?!\d)"), _b_month, False),
    (re.compile(rf"(?<![\d/.])(\d{{1,2}})\s*/\s*{_YEAR}(?![\d/])"), _b_month, False),
    (re.compile(r"(?<![\d/.])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])"), _b_day_month, True),
    (re.compile(rf"(dau|giua|cuoi)\s*nam\s*{_YEAR}(?!\d)"), _b_part_of_year, False),
    (re.compile(rf"(?<!\d){_YEAR}\s*(?:-|~|den|toi)\s*(?:nam\s*)?{_YEAR}(?!\d)"),
     _b_year_range, False),
    (re.compile(rf"(?<!\d){_YEAR}(?!\d)"), _b_year, False),
)  # fmt: skip

_QUARTERLY = re.compile(r"\b(?:hang|moi|tung)\s*quy\b|\bdinh ky\s*(?:hang\s*)?quy\b|\btheo quy\b")
_YEARLY = re.compile(
    r"\b(?:hang|moi|tung)\s*nam\b|\bdinh ky\s*(?:hang\s*)?nam\b|\bthuong nien\b|\btheo nam\b"
)
_MONTHLY = re.compile(
    r"\b(?:hang|moi|tung)\s*(?:thang|tuan|ngay)\b|\bdinh ky\s*(?:hang\s*)?thang\b"
)
_HALF_YEARLY = re.compile(r"\b6\s*thang\s*(?:/|mot|1)\s*lan\b|\b(?:hang|moi|dinh ky)\s*6\s*thang\b")
_ONGOING = re.compile(r"\bthuong xuyen\b|\blien tuc\b|\bdinh ky\b|\bhang ky\b")
_FROM = re.compile(
    r"(?<![a-z])(?:ke\s+)?tu\s+(?=nam\b|quy\b|q\.?\s*(?:[1-4]|i|v)|thang\b|ngay\b|\d)|\bbat dau\b"
    r"|\btro di\b|\btro ve sau\b|\b(?:cac|nhung)\s+nam\s+(?:tiep theo|sau|tiep)\b"
    r"|\bnam tiep theo\b"
)
_UNTIL = re.compile(r"\bden\b|\btoi\b|-|~")
_BEFORE = re.compile(r"\btruoc\s*(?:ngay|thoi diem|thoi han|het)?\s*(?:nam)?\s*$")
_BLANK = re.compile(r"^[\s\-–—_.x/*…]*$")


def _recurrence(folded: str) -> tuple[str | None, str]:
    """The recurrence the words give, and a note when it is not one the tracker keeps."""
    if _QUARTERLY.search(folded):
        return QUARTERLY, ""
    if _YEARLY.search(folded):
        return YEARLY, ""
    if _MONTHLY.search(folded):
        return ONGOING, _("Định kỳ hàng tháng/tuần được ghi là thường xuyên.")
    if _HALF_YEARLY.search(folded):
        return ONGOING, _("Định kỳ 6 tháng được ghi là thường xuyên.")
    if _ONGOING.search(folded):
        return ONGOING, ""
    return None, ""


def _references(folded: str, year: int | None, warnings: list[str]) -> tuple[list[_Ref], bool]:
    """Every time reference, in text order; the flag says a year was needed and missing."""
    work = folded
    refs: list[_Ref] = []
    missing_year = False
    for pattern, builder, yearless_ok in _PATTERNS:
        for match in pattern.finditer(work):
            try:
                bounds = builder(match, year)
            except ValueError:
                warnings.append(
                    _("“%(text)s” không phải ngày/tháng hợp lệ.") % {"text": match.group(0)}
                )
                bounds = None
            else:
                if bounds is None:
                    missing_year = True
            if bounds is not None:
                kind, start, end, is_range = bounds
                yearless = yearless_ok and not re.search(r"(?:19|20)\d{2}", match.group(0))
                refs.append(_Ref(kind, start, end, match.start(), match.end(), is_range, yearless))
            span = match.end() - match.start()
            work = work[: match.start()] + " " * span + work[match.end() :]
    refs.sort(key=lambda ref: ref.pos)
    return refs, missing_year


def parse_deadline(text: str | None, *, document_year: int | None = None) -> Deadline:
    """Understand a deadline phrase.

    - "Quý II/2024", "quý 2 năm 2024", "Q2/2024" → quarter, due 2024-06-30;
    - "Tháng 6/2024" → date, due 2024-06-30; "30/6/2024", "trước 30/6/2024" → date;
      "6 tháng đầu năm 2024" → date, due 2024-06-30;
    - "2024", "Năm 2024", "Hoàn thành trong năm 2025" → year, due 31 December;
      "2024-2025", "Giai đoạn 2024-2026" → year, start 1 January of the first, due the last;
    - "Thường xuyên" → recurring ongoing; "Hàng năm" yearly; "Hàng quý" quarterly;
      "Trước ngày 15/12 hàng năm" → yearly with that day (`month_day`, and `due` in the
      document's year when it is known);
    - "Thực hiện từ Quý II/2024" → from, start 2024-04-01; "Từ năm 2025 trở đi" → from;
    - "trước Quý III/2024" → due the day before the quarter begins;
    - a quarter, month or day without a year takes `document_year`, with a warning;
    - empty → none; anything else → none with a warning.
    """
    raw = nfc(text or "")
    if _BLANK.match(raw):
        return Deadline(text=raw)
    folded = fold(raw[:MAX_DEADLINE_CHARS]).replace("–", "-").replace("—", "-")
    folded = folded.replace("−", "-")
    warnings: list[str] = []
    recurrence, note = _recurrence(folded)
    if note:
        warnings.append(note)
    refs, missing_year = _references(folded, document_year, warnings)
    is_from = bool(_FROM.search(folded))

    if not refs:
        if recurrence and missing_year:
            # A yearly day with no year known: keep the day, leave the due date open.
            # 2000 is a leap year, so 29/2 survives.
            sample, _missing = _references(folded, 2000, [])
            if sample and all(ref.yearless for ref in sample):
                end = sample[-1].end
                return Deadline(KIND_RECURRING, recurrence=YEARLY if recurrence == ONGOING
                                else recurrence, text=raw, month_day=(end.month, end.day),
                                warnings=tuple(warnings))  # fmt: skip
        if recurrence:
            return Deadline(KIND_RECURRING, recurrence=recurrence, text=raw,
                            warnings=tuple(warnings))  # fmt: skip
        if missing_year:
            warnings.append(
                _("Thời hạn “%(text)s” không ghi năm và không rõ năm của văn bản; hãy nhập năm.")
                % {"text": raw}
            )
        elif not warnings:
            warnings.append(
                _(
                    "Không hiểu thời hạn “%(text)s”; hãy nhập lại theo dạng “Quý II/2024”, "
                    "“30/6/2024”, “2025”, “Thường xuyên” hoặc “Thực hiện từ năm 2024”."
                )
                % {"text": raw}
            )
        return Deadline(text=raw, warnings=tuple(warnings))

    first, last = refs[0], refs[-1]
    if any(ref.yearless for ref in refs) and not (recurrence and not is_from):
        warnings.append(
            _("Thời hạn “%(text)s” không ghi năm; lấy năm %(year)s của văn bản.")
            % {"text": raw, "year": document_year}
        )

    # Yearly with a day, a month or a quarter but no year: "Trước ngày 15/12 hàng năm".
    if recurrence and not is_from:
        if all(ref.yearless for ref in refs):
            return Deadline(
                KIND_RECURRING, due=last.end, recurrence=YEARLY if recurrence == ONGOING
                else recurrence, text=raw, month_day=(last.end.month, last.end.day),
                warnings=tuple(warnings),
            )  # fmt: skip
        return Deadline(KIND_RECURRING, due=first.end, recurrence=recurrence, text=raw,
                        warnings=tuple(warnings))  # fmt: skip

    between = folded[first.endpos : last.pos] if len(refs) > 1 else ""
    connected = len(refs) > 1 and bool(_UNTIL.search(between))
    if is_from:
        if connected or (len(refs) == 1 and first.is_range):
            return Deadline(last.kind, due=last.end, start=first.start, recurrence=recurrence,
                            text=raw, warnings=tuple(warnings))  # fmt: skip
        return Deadline(KIND_FROM, start=first.start, recurrence=recurrence, text=raw,
                        warnings=tuple(warnings))  # fmt: skip

    if len(refs) == 1:
        ref = first
        if _BEFORE.search(folded[: ref.pos]) and ref.start != ref.end and not ref.is_range:
            # "trước Quý III/2024", "trước năm 2025": done by the day before it begins.
            return Deadline(ref.kind, due=ref.start - timedelta(days=1), text=raw,
                            warnings=tuple(warnings))  # fmt: skip
        return Deadline(ref.kind, due=ref.end, start=ref.start if ref.is_range else None,
                        text=raw, warnings=tuple(warnings))  # fmt: skip

    if not connected:
        warnings.append(
            _("Thời hạn “%(text)s” có nhiều mốc; lấy mốc cuối cùng làm hạn hoàn thành.")
            % {"text": raw}
        )
    return Deadline(last.kind, due=max(ref.end for ref in refs),
                    start=min(ref.start for ref in refs), text=raw,
                    warnings=tuple(warnings))  # fmt: skip


_DOCUMENT_DATE = re.compile(r"ngay[\s\d.…_/]{0,12}thang[\s\d.…_/]{0,8}nam\s*((?:19|20)\d{2})(?!\d)")


def document_year_of(text: str, *, head_chars: int = 3000) -> int | None:
    """The year of the document's date line ("Hà Nội, ngày … tháng … năm 2024"), if any."""
    match = _DOCUMENT_DATE.search(fold(text[:head_chars]))
    return int(match.group(1)) if match else None


_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def earliest_year(texts: list[str]) -> int | None:
    """The earliest year written in any of `texts` (a fallback for the document's year)."""
    years = [int(y) for text in texts for y in _ANY_YEAR.findall(text or "")]
    return min(years) if years else None
