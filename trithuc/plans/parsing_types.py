"""What the plan parser produces: deadlines, tasks, sections, the whole parse, and its error."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Deadline kinds and recurrences, as the JSON output and the tracker name them.
KIND_DATE = "date"
KIND_QUARTER = "quarter"
KIND_YEAR = "year"
KIND_RECURRING = "recurring"
KIND_FROM = "from"
KIND_NONE = "none"
DEADLINE_KINDS = (KIND_DATE, KIND_QUARTER, KIND_YEAR, KIND_RECURRING, KIND_FROM, KIND_NONE)

ONGOING = "ongoing"
YEARLY = "yearly"
QUARTERLY = "quarterly"
RECURRENCES = (ONGOING, YEARLY, QUARTERLY)

# Where the tasks came from.
SOURCE_TEXT_TABLE = "text_table"
SOURCE_DOCX_TABLE = "docx_table"
SOURCE_XLSX = "xlsx"
SOURCE_CSV = "csv"
SOURCE_PROSE = "prose"
SOURCE_DOCX_PROSE = "docx_prose"


class PlanParseError(Exception):
    """The file cannot be read as a plan; the message names the file and says what to do."""

    def __init__(self, message: str, *, code: str = "unreadable"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Deadline:
    """A deadline as written ("Quý II/2024") and as understood (due 2024-06-30).

    `due` is the last day to finish, `start` the first day of a "from" or a range;
    `month_day` keeps the day of a yearly deadline ("Trước ngày 15/12 hàng năm" → (12, 15)).
    """

    kind: str = KIND_NONE
    due: date | None = None
    start: date | None = None
    recurrence: str | None = None
    text: str = ""
    month_day: tuple[int, int] | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "due": self.due.isoformat() if self.due else None,
            "start": self.start.isoformat() if self.start else None,
            "recurrence": self.recurrence,
            "text": self.text,
        }


@dataclass
class Section:
    """A group of tasks: "I" with its title, or a numbered heading of a prose plan."""

    number: str
    title: str
    source_line: int | None = None


@dataclass
class ParsedTask:
    """One task of a plan, before it is confirmed and written.

    `number` is the number as written in the row ("1."), `ref` the section and number
    together ("I.1"). Tasks read from prose are `proposed`: a coordinator confirms them;
    `confidence` says how sure the parser is (1.0 for a table row).
    """

    number: str
    section: str
    section_title: str
    content: str
    lead: str
    coordinators: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)
    warnings: list[str] = field(default_factory=list)
    source_line: int | None = None
    directed_by: list[str] = field(default_factory=list)
    requested: bool = False
    proposed: bool = False
    confidence: float = 1.0
    ref: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "section": self.section,
            "content": self.content,
            "lead": self.lead,
            "coordinators": list(self.coordinators),
            "deadline": self.deadline.to_dict(),
            "warnings": list(self.warnings),
            "ref": self.ref,
            "section_title": self.section_title,
            "directed_by": list(self.directed_by),
            "requested": self.requested,
            "proposed": self.proposed,
            "confidence": round(self.confidence, 2),
            "source_line": self.source_line,
            **({"extra": dict(self.extra)} if self.extra else {}),
        }


def make_refs_unique(tasks: list[ParsedTask]) -> None:
    """A repeated ref ("I.3" twice, when a plan numbers two rows alike) gets "-2", "-3"…"""
    seen: dict[str, int] = {}
    for task in tasks:
        count = seen.get(task.ref, 0) + 1
        seen[task.ref] = count
        if count > 1:
            task.ref = f"{task.ref}-{count}"


@dataclass
class PlanParse:
    """Every task found in one file, its sections, and warnings about the file as a whole."""

    tasks: list[ParsedTask]
    sections: list[Section]
    warnings: list[str]
    source_kind: str
    document_year: int | None = None
    filename: str = ""

    def tasks_in(self, section: str) -> list[ParsedTask]:
        return [task for task in self.tasks if task.section == section]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "source_kind": self.source_kind,
            "document_year": self.document_year,
            "tasks": [task.to_dict() for task in self.tasks],
            "sections": [
                {
                    "number": section.number,
                    "title": section.title,
                    "tasks": len(self.tasks_in(section.number)),
                }
                for section in self.sections
            ],
            "warnings": list(self.warnings),
        }
