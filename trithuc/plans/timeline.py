"""The timeline of a plan: a grid of quarters and where each task's bar lies on it.

Pure functions of dates, so the page only loads the tasks once and the layout is tested
without a browser. Positions are percentages of the grid's width on a scale where every
quarter is equally wide (as the grid's columns are), and a day lies within its quarter in
proportion: a deadline at the end of a quarter ends exactly on a column's edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from .choices import DeadlineKind

# At most this many years are drawn; a plan running longer is cut at the end (its bars say
# they go on). 8 years keep each quarter about 24 px wide on a 1366 px screen.
MAX_YEARS = 8
ROMAN = ("I", "II", "III", "IV")
ONGOING_KINDS = (DeadlineKind.RECURRING, DeadlineKind.FROM)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The quarter's last day."""
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    @property
    def roman(self) -> str:
        return ROMAN[self.number - 1]

    @property
    def label(self) -> str:
        return _("Quý %(n)s/%(year)s") % {"n": self.roman, "year": self.year}

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class Axis:
    """Whole years from `first_year` to `last_year`; `cut` when the plan runs past them."""

    first_year: int
    last_year: int
    cut: bool = False

    @property
    def start(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def end(self) -> date:
        """The last day shown."""
        return date(self.last_year, 12, 31)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(y, n) for y in self.years for n in (1, 2, 3, 4)]

    @property
    def first_quarter(self) -> Quarter:
        return Quarter(self.first_year, 1)

    @property
    def last_quarter(self) -> Quarter:
        return Quarter(self.last_year, 4)

    def position(self, day: date) -> float:
        """Where the start of `day` lies, in percent of the width (0 to 100, clamped)."""
        if day <= self.start:
            return 0.0
        if day > self.end:
            return 100.0
        quarter = Quarter.of(day)
        index = (quarter.year - self.first_year) * 4 + quarter.number - 1
        length = (quarter.end - quarter.start).days + 1
        fraction = (day - quarter.start).days / length
        return (index + fraction) * 100 / (len(self.years) * 4)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def axis_for(
    *, issued_on: date | None, tasks: list[Any], today: date, max_years: int = MAX_YEARS
) -> Axis:
    """From the earliest of the issue date, the tasks' starts and deadlines (and today) to
    the latest deadline (or today), in whole years, at most `max_years`."""
    days = [d for t in tasks for d in (t.start, t.due) if d is not None]
    if issued_on is not None:
        days.append(issued_on)
    first = min([*days, today]).year
    last = max([*days, today]).year
    if last - first + 1 > max_years:
        return Axis(first, first + max_years - 1, cut=True)
    return Axis(first, last)


@dataclass(frozen=True)
class Bar:
    """A task on the grid: `ongoing` bars (recurring, "from") are hatched bands."""

    start: date
    end: date | None  # the deadline, inclusive; None: ongoing to the end of the grid
    left: float
    width: float
    ongoing: bool
    cut_start: bool  # begins before the grid (drawn from its left edge)
    cut_end: bool  # ends after the grid (drawn to its right edge)

    @property
    def css(self) -> str:
        """Inline style with a dot as decimal separator, whatever the language."""
        return f"left:{self.left:.3f}%;width:{self.width:.3f}%"

    @property
    def first_quarter(self) -> Quarter:
        return Quarter.of(self.start)

    @property
    def last_quarter(self) -> Quarter | None:
        return Quarter.of(self.end) if self.end else None


def bar_for(task: Any, *, axis: Axis, issued_on: date | None) -> Bar | None:
    """The task's bar: from its start (else the plan's issue date, else the grid's start) to
    its deadline; ongoing tasks to their deadline if any, else to the end of the grid.
    None for a task with no deadline to draw."""
    ongoing = task.deadline_kind in ONGOING_KINDS
    if not ongoing and (task.deadline_kind == DeadlineKind.NONE or task.due is None):
        return None
    start = task.start or issued_on or axis.start
    end = task.due
    if end is not None and start > end:
        # A start after the deadline is a typing slip; the deadline is what the plan says.
        start = Quarter.of(end).start
    left = axis.position(start)
    if end is None:
        right = 100.0
        cut_end = False
    else:
        right = axis.position(end + timedelta(days=1))
        cut_end = end > axis.end
    if start > axis.end:
        # Begins after the last year shown: a stub at the right edge that says it goes on.
        left, right, cut_end = 100.0, 100.0, True
    return Bar(
        start=start,
        end=end,
        left=left,
        width=max(right - left, 0.0),
        ongoing=ongoing,
        cut_start=start < axis.start,
        cut_end=cut_end or (ongoing and end is None and axis.cut),
    )
