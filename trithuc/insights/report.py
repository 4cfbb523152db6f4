"""The yearly statistical report of the intellectual workforce: the figures for a date, a unit
and the registry's filters (`yearly_report`), then the same report as a Word document in the
administrative layout (`to_docx`), an Excel workbook (`to_xlsx`) and a PDF (`to_pdf`).

Every figure is one of the aggregates (a GROUP BY each, over the people the viewer may see);
the figures for a past date, and those of the same date one year earlier that the report
compares with, come from the registry history. The three writers lay out the same tables and
the same sentences, built once in `ReportData`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from trithuc.core.docx_layout import (
    AdministrativeDocument,
    Row,
    abbreviate_superior,
    abbreviation,
    place_name,
    vietnamese_date,
)
from trithuc.registry import choices as rc

from . import aggregates as agg
from .dimensions import DIMENSIONS, Context, CrossTab, crosstab

# Query parameters of the report page that are not registry filters.
REPORT_PARAMS = (
    "as_of", "unit", "number", "signer_capacity", "signer_title", "signer_name", "format",
    "within", "page",
)  # fmt: skip
FORMATS = ("docx", "xlsx", "pdf")
UNDER_40 = ("lt30", "30-39")  # the age bands under 40
# A table of at most this many rows is kept on one page with its caption; a longer one
# starts where there is room and goes on, its header repeated, on the next page.
KEEP_TOGETHER_ROWS = 16


class ReportError(ValueError):
    """Input the report cannot be made from; the message (Vietnamese) says what to do."""


class FontMissing(ReportError):
    """The TrueType fonts of the PDF are not installed."""


@dataclass
class ReportTable:
    """One numbered table ("Biểu"): header, rows of labels and numbers, an optional bold total
    row. Percentages are floats in the columns listed in `percent`."""

    number: int
    key: str
    caption: str
    headers: list[str]
    rows: list[list[Any]]
    total: list[Any] | None = None
    widths: list[float] = field(default_factory=list)
    align: list[str] = field(default_factory=list)
    percent: set[int] = field(default_factory=set)

    @property
    def title(self) -> str:
        return _("Biểu %(number)s. %(caption)s") % {"number": self.number, "caption": self.caption}

    @property
    def sheet_name(self) -> str:
        return _("Biểu %(number)s") % {"number": self.number}


@dataclass
class Change:
    """One line of the comparison with the same date a year earlier."""

    label: str
    previous: int
    current: int

    @property
    def difference(self) -> int:
        return self.current - self.previous

    @property
    def percent(self) -> float | None:
        return round(100 * self.difference / self.previous, 1) if self.previous else None


@dataclass
class ReportData:
    """Everything the three writers need: who issues it, the figures, the sentences, the
    tables."""

    as_of: date
    previous_as_of: date
    issued_on: date
    organization: Any  # the unit reported on (None: everything the viewer sees)
    issuing_body: str
    superior: str
    place: str
    number: str
    initials: str
    signer_capacity: str
    signer_title: str
    signer_name: str
    subject: str  # "trí thức đang công tác"
    filters: dict[str, list[str]]
    filter_lines: list[str]
    total: int
    previous_total: int
    previous_known: bool
    distributions: dict[str, agg.Distribution]
    degree_field: agg.Grid
    age_gender: CrossTab
    changes: list[Change]
    paragraphs: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return _("Báo cáo")

    @property
    def title(self) -> str:
        return _("Thống kê đội ngũ trí thức năm %(year)s tính đến ngày %(date)s") % {
            "year": self.as_of.year,
            "date": day_text(self.as_of),
        }

    @property
    def filename(self) -> str:
        return f"bao-cao-thong-ke-tri-thuc-{self.as_of:%Y-%m-%d}"


# ---- numbers as the text writes them ----------------------------------------------------------


def day_text(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def number_text(n: int) -> str:
    """12345 → "12.345" (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def percent_text(value: float | None) -> str:
    """45.25 → "45,3" (one decimal, a decimal comma)."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",")


def share(n: int, of: int) -> float:
    return round(100 * n / of, 1) if of else 0.0


def signed_text(n: int) -> str:
    return f"+{number_text(n)}" if n > 0 else ("-" + number_text(-n) if n < 0 else "0")


def cell_text(value: Any, percent: bool = False) -> str:
    """A table cell as the Word and PDF tables write it."""
    if value is None:
        return "—"
    if percent and isinstance(value, float):
        return percent_text(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_text(value)
    return str(value)


# ---- the figures ------------------------------------------------------------------------------


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def default_as_of(today: date | None = None) -> date:
    """31 December of last year when the registry history reaches back to it; otherwise
    today (a database filled this year has no figures for last year's end)."""
    from trithuc.registry.models import Person

    today = today or timezone.localdate()
    year_end = agg.last_day_of_year(today.year - 1)
    if Person.history.filter(history_date__lte=agg.end_of(year_end)).exists():
        return year_end
    return today


def filter_data(filters: Any) -> QueryDict:
    """The registry filters from a query string or a dict, without the report's own fields."""
    params = QueryDict(mutable=True)
    if isinstance(filters, QueryDict):
        for key in filters:
            params.setlist(key, [v for v in filters.getlist(key) if v != ""])
    elif filters:
        for key, value in filters.items():
            values = value if isinstance(value, list | tuple) else [value]
            params.setlist(key, [str(v) for v in values if v not in ("", None)])
    for key in REPORT_PARAMS:
        params.pop(key, None)
    return params


def yearly_report(
    user: Any,
    *,
    as_of: date,
    organization: Any = None,
    filters: Any = None,
    number: str = "",
    signer: dict[str, str] | None = None,
    request: Any = None,
) -> ReportData:
    """The figures of the yearly report for `as_of`, over the people `user` may see (None:
    everyone), within `organization` when given, with the registry filters `filters`.

    Raises ReportError (a Vietnamese message) for a future date, a unit outside the viewer's
    scope, or filters that cannot be read.
    """
    from trithuc.core.permissions import organizations_for
    from trithuc.registry.models import Person

    from .selectors import root_for

    today = timezone.localdate()
    if as_of > today:
        raise ReportError(
            _("Ngày %(day)s còn ở tương lai; hãy chọn một ngày đã qua.") % {"day": day_text(as_of)}
        )
    if (
        organization is not None
        and user is not None
        and not organizations_for(user, Person, "view").filter(pk=organization.pk).exists()
    ):
        raise ReportError(
            _("Đơn vị “%(name)s” không thuộc phạm vi bạn được xem.") % {"name": organization.name}
        )
    data = filter_data(filters)
    # Today's figures are the records as they are; a past date reads the history.
    people, filterset = agg.population(
        user, data=data, as_of=None if as_of >= today else as_of, request=request
    )
    if not filterset.is_valid():
        problems = "; ".join(
            f"{filterset.form.fields[name].label if name in filterset.form.fields else name}: "
            f"{' '.join(str(e) for e in errors)}"
            for name, errors in filterset.form.errors.items()
        )
        raise ReportError(_("Bộ lọc chưa đúng: %(problems)s") % {"problems": problems})
    previous_as_of = year_before(as_of)
    past, _fs = agg.population(user, data=data, as_of=previous_as_of, request=request)
    if organization is not None:
        people = people.filter(organization__path__startswith=organization.path)
        past = past.filter(organization__path__startswith=organization.path)
    root = organization if organization is not None else root_for(user, filterset)

    fields = agg.fields_of_science()
    names = agg.degree_names()
    # One scan of the people for every figure (a Cube; off PostgreSQL, units apart).
    cube = agg.Cube(people, as_of)
    field1, _field2 = agg.by_field(cube, fields)
    unit, _place = agg.by_unit(cube, root)
    distributions = {
        "title": agg.by_title(cube),
        "degree": agg.by_degree(cube, names),
        "field": field1,
        "age_band": agg.by_age_band(cube, as_of),
        "gender": agg.by_gender(cube),
        "sector": agg.by_sector(cube),
        "unit": unit,
    }
    context = Context(on=as_of, root=root, fields=fields, degree_names=names)
    age_gender = crosstab(cube, DIMENSIONS["age_band"], DIMENSIONS["gender"], context)
    degree_field = agg.degree_by_field(cube, names, fields)

    previous_known = Person.history.filter(history_date__lte=agg.end_of(previous_as_of)).exists()
    cube_before = agg.Cube(past, previous_as_of)
    before = {
        "title": agg.by_title(cube_before),
        "degree": agg.by_degree(cube_before, names),
        "gender": agg.by_gender(cube_before),
        "age_band": agg.by_age_band(cube_before, previous_as_of),
    }

    issuer = organization or root or _single_top()
    signer = signer or {}
    capacity, title = _signer(issuer)
    initials = _initials(issuer) if issuer is not None else ""
    report = ReportData(
        as_of=as_of,
        previous_as_of=previous_as_of,
        issued_on=today,
        organization=organization,
        issuing_body=issuer.name if issuer is not None else _("Cơ quan quản lý cơ sở dữ liệu"),
        superior=issuer.parent.name if issuer is not None and issuer.parent_id else "",
        place=_place_of(issuer),
        number=number.strip()
        or _("%(blank)s/BC-%(initials)s") % {"blank": " " * 8, "initials": initials},
        initials=initials,
        signer_capacity=(signer.get("capacity") or "").strip() or capacity,
        signer_title=(signer.get("title") or "").strip() or title,
        signer_name=(signer.get("name") or "").strip(),
        subject=_subject(filterset),
        filters={k: list(v) for k, v in data.lists() if v},
        filter_lines=describe_filters(filterset),
        total=distributions["gender"].total,
        previous_total=before["gender"].total,
        previous_known=previous_known,
        distributions=distributions,
        degree_field=degree_field,
        age_gender=age_gender,
        changes=_changes(distributions, before, names),
    )
    report.paragraphs = _paragraphs(report)
    report.tables = _tables(report)
    return report


def _single_top() -> Any:
    from trithuc.organizations.models import Organization

    tops = list(Organization.objects.filter(depth=0)[:2])
    return tops[0] if len(tops) == 1 else None


def _subject(filterset: Any) -> str:
    statuses = filterset.form.cleaned_data.get("status") or [rc.PersonStatus.WORKING]
    labels = dict(rc.PersonStatus.choices)
    if list(statuses) == [rc.PersonStatus.WORKING]:
        return _("trí thức đang công tác")
    return _("trí thức (%(statuses)s)") % {
        "statuses": ", ".join(str(labels.get(s, s)).lower() for s in statuses)
    }


def describe_filters(filterset: Any) -> list[str]:
    """The registry filters in force, as "Label: value" lines (the status is the subject)."""
    from trithuc.organizations.models import Organization

    lines = []
    form = filterset.form
    cleaned = form.cleaned_data if filterset.is_valid() else {}
    for name, form_field in form.fields.items():
        value = cleaned.get(name)
        if name in ("status", "within", "training_from", "training_to"):
            continue
        if value in (None, "", [], ()):
            continue
        # Iterated, never measured: django-filter's choices may be a callable behind len().
        choices = {str(k): v for k, v in getattr(form_field, "choices", ())}
        if isinstance(value, Organization):
            text = value.name
        elif isinstance(value, bool):
            text = _("Có") if value else _("Không")
        elif isinstance(value, list | tuple):
            text = ", ".join(str(choices.get(str(v), v)) for v in value)
        else:
            text = str(choices.get(str(value), value))
        if name == "training":
            start, end = cleaned.get("training_from"), cleaned.get("training_to")
            if start or end:
                text += f" ({start or '…'}–{end or '…'})"
        lines.append(f"{form_field.label}: {text}")
    return lines


def _changes(
    now: dict[str, agg.Distribution], before: dict[str, agg.Distribution], names: dict[str, str]
) -> list[Change]:
    def counts(d: dict[str, agg.Distribution], key: str) -> dict[str, int]:
        return d[key].as_counts()

    rows = [Change(_("Tổng số"), before["gender"].total, now["gender"].total)]
    for kind, title in rc.AcademicTitleKind.choices:
        rows.append(
            Change(str(title), counts(before, "title").get(kind, 0), counts(now, "title")[kind])
        )
    for group, name in names.items():
        rows.append(
            Change(str(name), counts(before, "degree").get(group, 0),
                   counts(now, "degree").get(group, 0))
        )  # fmt: skip
    unknown = Change(
        _("Chưa ghi trình độ"),
        counts(before, "degree").get(agg.NONE, 0),
        counts(now, "degree").get(agg.NONE, 0),
    )
    if unknown.previous or unknown.current:
        rows.append(unknown)
    rows.append(
        Change(_("Nữ"), counts(before, "gender").get("female", 0),
               counts(now, "gender").get("female", 0))
    )  # fmt: skip
    rows.append(
        Change(
            _("Dưới 40 tuổi"),
            sum(counts(before, "age_band").get(b, 0) for b in UNDER_40),
            sum(counts(now, "age_band").get(b, 0) for b in UNDER_40),
        )
    )
    return rows


# ---- issuing body, signer -------------------------------------------------------------------


def _initials(organization: Any) -> str:
    """The initials of the document number: the short name or the code when it is one (SNV,
    UBND), otherwise the initials of the name."""
    import re

    for candidate in (organization.short_name, organization.code):
        if re.fullmatch(r"[A-ZĐ0-9]{2,12}", (candidate or "").strip()):
            return candidate.strip()
    return abbreviation(organization.name)


def _place_of(organization: Any) -> str:
    """The province or city of the organisation (or of its parent), else the installation's."""
    from trithuc.organizations.choices import AdministrativeLevel

    for org in (organization, getattr(organization, "parent", None)):
        unit = getattr(org, "administrative_unit", None) if org is not None else None
        while unit is not None and unit.level != AdministrativeLevel.PROVINCE:
            unit = unit.parent if unit.parent_id else None
        if unit is not None:
            return place_name(unit.name)
    return str(getattr(settings, "TRITHUC_PLACE_NAME", ""))


def _signer(organization: Any) -> tuple[str, str]:
    """The deputy's capacity and title ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), to be changed on the
    form when the head signs."""
    from trithuc.organizations.choices import OrganizationType

    heads: dict[str, str] = {
        OrganizationType.PEOPLES_COMMITTEE: _("Chủ tịch"),
        OrganizationType.COMMUNE_COMMITTEE: _("Chủ tịch"),
        OrganizationType.DEPARTMENT: _("Giám đốc"),
        OrganizationType.HOSPITAL: _("Giám đốc"),
        OrganizationType.RESEARCH_INSTITUTE: _("Viện trưởng"),
        OrganizationType.PUBLIC_UNIVERSITY: _("Hiệu trưởng"),
    }
    head = heads.get(getattr(organization, "type", ""), _("Thủ trưởng"))
    return (
        _("KT. %(head)s") % {"head": head.upper()},
        _("Phó %(head)s") % {"head": head.lower()},
    )


def recipients(report: ReportData) -> list[str]:
    entries = []
    if report.superior:
        entries.append(_("%(body)s (để báo cáo)") % {"body": abbreviate_superior(report.superior)})
    entries.append(_("Các cơ quan, đơn vị có liên quan"))
    entries.append(_("Lưu: VT, %(initials)s") % {"initials": report.initials or "…"})
    return entries


# ---- sentences --------------------------------------------------------------------------------


def _degree_abbreviations() -> dict[str, str]:
    from trithuc.registry.models import DegreeLevel

    return {
        level.group: level.abbreviation or level.name
        for level in DegreeLevel.objects.filter(code__in=agg.degree_names())
        if level.code == level.group
    }


def _change_phrase(change: Change) -> str:
    if change.difference > 0:
        text = _("tăng %(n)s người") % {"n": number_text(change.difference)}
    elif change.difference < 0:
        text = _("giảm %(n)s người") % {"n": number_text(-change.difference)}
    else:
        return _("không thay đổi")
    if change.percent is not None:
        text += f" ({percent_text(abs(change.percent))}%)"
    return text


def _paragraphs(report: ReportData) -> list[str]:
    d = report.distributions
    total = report.total
    where = (
        _("của %(name)s") % {"name": report.organization.name}
        if report.organization is not None
        else _("trong phạm vi quản lý")
    )
    out = []
    if not total:
        out.append(
            _("Tính đến ngày %(date)s, cơ sở dữ liệu không ghi nhận %(subject)s nào %(where)s.")
            % {"date": day_text(report.as_of), "subject": report.subject, "where": where}
        )
    else:
        titles = d["title"].as_counts()
        abbreviations = _degree_abbreviations()
        degrees = [
            f"{number_text(c.count)} {abbreviations.get(c.key, c.label)}"
            for c in d["degree"].categories
            if c.count and c.key != agg.NONE
        ]
        no_degree = d["degree"].as_counts().get(agg.NONE, 0)
        if no_degree:
            degrees.append(_("%(n)s chưa ghi trình độ") % {"n": number_text(no_degree)})
        women = d["gender"].as_counts().get("female", 0)
        young = sum(d["age_band"].as_counts().get(b, 0) for b in UNDER_40)
        out.append(
            _(
                "Tính đến ngày %(date)s, tổng số %(subject)s %(where)s là %(total)s người, "
                "trong đó: về học hàm có %(gs)s GS, %(pgs)s PGS; về trình độ có %(degrees)s; "
                "nữ chiếm %(women)s%% (%(women_n)s người); dưới 40 tuổi chiếm %(young)s%%."
            )
            % {
                "date": day_text(report.as_of),
                "subject": report.subject,
                "where": where,
                "total": number_text(total),
                "gs": number_text(titles.get("GS", 0)),
                "pgs": number_text(titles.get("PGS", 0)),
                "degrees": ", ".join(degrees) or _("không ai ghi trình độ"),
                "women": percent_text(share(women, total)),
                "women_n": number_text(women),
                "young": percent_text(share(young, total)),
            }
        )
        out.append(_structure_sentence(d, total))
    if report.previous_known:
        changes = {c.label: c for c in report.changes}
        gs_pgs = Change(
            _("GS, PGS"),
            sum(changes[str(label)].previous for _k, label in rc.AcademicTitleKind.choices),
            sum(changes[str(label)].current for _k, label in rc.AcademicTitleKind.choices),
        )
        out.append(
            _(
                "So với cùng thời điểm năm trước (ngày %(previous_date)s: %(previous)s người), "
                "tổng số %(subject)s %(total_change)s; số GS, PGS %(titles_change)s."
            )
            % {
                "previous_date": day_text(report.previous_as_of),
                "previous": number_text(report.previous_total),
                "subject": report.subject,
                "total_change": _change_phrase(report.changes[0]),
                "titles_change": _change_phrase(gs_pgs),
            }
        )
    else:
        out.append(
            _(
                "Cơ sở dữ liệu chưa có hồ sơ nào được ghi nhận đến ngày %(date)s, nên báo cáo "
                "chưa so sánh được với cùng thời điểm năm trước."
            )
            % {"date": day_text(report.previous_as_of)}
        )
    if report.filter_lines:
        out.append(
            _("Số liệu chỉ tính những người thỏa mãn các điều kiện: %(filters)s.")
            % {"filters": "; ".join(report.filter_lines)}
        )
    if report.as_of < report.issued_on:
        out.append(
            _(
                "Số liệu tại ngày %(date)s theo phiên bản hồ sơ có hiệu lực vào ngày đó; trình độ "
                "và học hàm theo năm được cấp, độ tuổi tính đến ngày đó."
            )
            % {"date": day_text(report.as_of)}
        )
    return out


def opening_sentence(report: ReportData) -> str:
    return _(
        "Căn cứ cơ sở dữ liệu đội ngũ trí thức, %(body)s báo cáo số liệu thống kê đội ngũ trí "
        "thức tính đến ngày %(date)s như sau:"
    ) % {"body": report.issuing_body, "date": day_text(report.as_of)}


def closing_sentence(report: ReportData) -> str:
    return _(
        "Trên đây là báo cáo thống kê đội ngũ trí thức tính đến ngày %(date)s của %(body)s./."
    ) % {"date": day_text(report.as_of), "body": report.issuing_body}


def _structure_sentence(d: dict[str, agg.Distribution], total: int) -> str:
    fields = sorted(
        (c for c in d["field"].categories if c.count and c.key != agg.NONE),
        key=lambda c: -c.count,
    )[:2]
    sectors = sorted((c for c in d["sector"].categories if c.count), key=lambda c: -c.count)[:1]
    parts = []
    if fields:
        named = [
            _("%(field)s (%(n)s người, %(pct)s%%)")
            % {
                "field": c.label.split(" ", 1)[-1],
                "n": number_text(c.count),
                "pct": percent_text(share(c.count, total)),
            }
            for c in fields
        ]
        parts.append(
            _("theo lĩnh vực khoa học, đông nhất là %(fields)s")
            % {"fields": _(", tiếp đến ").join(named)}
        )
    if sectors:
        c = sectors[0]
        parts.append(
            _("theo khu vực công tác, %(sector)s chiếm %(pct)s%%")
            % {"sector": str(c.label).lower(), "pct": percent_text(share(c.count, total))}
        )
    if not parts:
        return ""
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


# ---- the tables -------------------------------------------------------------------------------


def _distribution_table(
    number: int, key: str, caption: str, dist: agg.Distribution, label: str,
    *, skip_empty: bool = False, codes: bool = False, names: dict[str, str] | None = None,
) -> ReportTable:  # fmt: skip
    """Counts and shares of one distribution; the first column numbers the rows, or gives
    the category's code (`codes`: fields of science)."""
    total = dist.total
    categories = [c for c in dist.categories if c.count or not skip_empty]
    rows = []
    for index, c in enumerate(categories, start=1):
        text = (names or {}).get(c.key, c.label)
        if codes:
            first: Any = "" if c.key == agg.NONE else c.key
            text = text.removeprefix(f"{c.key} ")
        else:
            first = index
        rows.append([first, text, c.count, share(c.count, total)])
    return ReportTable(
        number=number,
        key=key,
        caption=caption,
        headers=[_("Mã") if codes else _("STT"), label, _("Số người"), _("Tỷ lệ (%)")],
        rows=rows,
        total=["", _("Tổng số"), total, 100.0 if total else 0.0],
        widths=[14, 91, 30, 30],
        align=["center", "left", "right", "right"],
        percent={3},
    )


def _tables(report: ReportData) -> list[ReportTable]:
    d = report.distributions
    tables = [
        _distribution_table(1, "title", _("Số lượng trí thức theo học hàm"), d["title"],
                            _("Học hàm")),
        _distribution_table(2, "degree", _("Số lượng trí thức theo trình độ cao nhất"),
                            d["degree"], _("Trình độ")),
        _distribution_table(3, "field", _("Số lượng trí thức theo lĩnh vực khoa học (cấp 1)"),
                            d["field"], _("Lĩnh vực khoa học"), codes=True),
        _distribution_table(4, "age_band", _("Số lượng trí thức theo độ tuổi"), d["age_band"],
                            _("Độ tuổi")),
        _distribution_table(5, "gender", _("Số lượng trí thức theo giới tính"), d["gender"],
                            _("Giới tính")),
        _distribution_table(6, "sector", _("Số lượng trí thức theo khu vực công tác"),
                            d["sector"], _("Khu vực công tác")),
        _distribution_table(7, "unit", _("Số lượng trí thức theo đơn vị"), d["unit"],
                            _("Đơn vị"), skip_empty=True, names=_unit_names(d["unit"])),
        _degree_field_table(8, report.degree_field),
        _age_gender_table(9, report.age_gender),
    ]  # fmt: skip
    tables.append(_comparison_table(10, report))
    return tables


def _unit_names(dist: agg.Distribution) -> dict[str, str]:
    """Full names of the units (the figures carry short names, fit for a chart)."""
    from trithuc.organizations.models import Organization

    codes = [c.key.removeprefix("=") for c in dist.categories]
    names = dict(Organization.objects.filter(code__in=codes).values_list("code", "name"))
    # "=CODE": the people recorded at the report's own unit, not its sub-units.
    return {
        c.key: (
            _("%(unit)s (trực tiếp)") % {"unit": names[c.key[1:]]}
            if c.key.startswith("=") and c.key[1:] in names
            else names.get(c.key, c.label)
        )
        for c in dist.categories
    }


def _degree_field_table(number: int, grid: agg.Grid) -> ReportTable:
    rows = grid.table()
    columns = grid.columns
    totals = [sum(grid.cell(r, c) for r, _l in grid.rows) for c, _l in columns]
    count = len(columns)
    return ReportTable(
        number=number,
        key="degree_field",
        caption=_("Số lượng trí thức theo trình độ và lĩnh vực khoa học"),
        headers=[
            _("Trình độ"),
            *[label.removeprefix(f"{code} ") for code, label in columns],
            _("Tổng số"),
        ],
        rows=[[row["label"], *[c["count"] for c in row["cells"]], row["total"]] for row in rows],
        total=[_("Tổng số"), *totals, sum(totals)],
        widths=[28, *[18] * count, 17],
        align=["left", *["right"] * (count + 1)],
    )


def _age_gender_table(number: int, table: CrossTab) -> ReportTable:
    genders = table.column_keys
    rows = []
    for r, label in table.row_keys:
        cells = [table.cell(r, g) for g, _l in genders]
        rows.append([label, *cells, sum(cells), share(table.cell(r, "female"), sum(cells))])
    totals = [table.column_total(g) for g, _l in genders]
    return ReportTable(
        number=number,
        key="age_gender",
        caption=_("Số lượng trí thức theo độ tuổi và giới tính"),
        headers=[_("Độ tuổi"), *[label for _g, label in genders], _("Tổng số"), _("Tỷ lệ nữ (%)")],
        rows=rows,
        total=[
            _("Tổng số"),
            *totals,
            sum(totals),
            share(table.column_total("female"), table.total),
        ],
        widths=[40, *[25] * len(genders), 25, 25],
        align=["left", *["right"] * (len(genders) + 2)],
        percent={len(genders) + 2},
    )


def _comparison_table(number: int, report: ReportData) -> ReportTable:
    rows = []
    for i, change in enumerate(report.changes, start=1):
        known = report.previous_known
        rows.append(
            [
                i,
                change.label,
                change.previous if known else None,
                change.current,
                change.difference if known else None,
                change.percent if known else None,
            ]
        )
    return ReportTable(
        number=number,
        key="comparison",
        caption=_("So sánh với cùng thời điểm năm trước"),
        headers=[
            _("STT"),
            _("Chỉ tiêu"),
            _("Ngày %(date)s") % {"date": day_text(report.previous_as_of)},
            _("Ngày %(date)s") % {"date": day_text(report.as_of)},
            _("Tăng (+), giảm (-) (người)"),
            _("Tăng, giảm (%)"),
        ],
        rows=rows,
        widths=[14, 50, 25, 25, 27, 24],
        align=["center", "left", "right", "right", "right", "right"],
        percent={5},
    )


def _cells(table: ReportTable, values: list[Any]) -> list[str]:
    out = []
    for index, value in enumerate(values):
        if table.key == "comparison" and index == 4 and isinstance(value, int):
            out.append(signed_text(value))
        elif table.key == "comparison" and index == 5 and isinstance(value, float):
            out.append(("+" if value > 0 else "") + percent_text(value))
        else:
            out.append(cell_text(value, index in table.percent))
    return out


# ---- Word -------------------------------------------------------------------------------------


def to_docx(report: ReportData) -> bytes:
    """The report as a Word document in the administrative layout (Decree 30/2020)."""
    doc = AdministrativeDocument(
        issuing_body=report.issuing_body,
        superior=report.superior,
        number=report.number,
        place=report.place,
        date=report.issued_on,
        kind=report.kind,
        title=report.title,
    )
    doc.paragraph(opening_sentence(report))
    doc.heading(_("I. TÌNH HÌNH CHUNG"))
    for text in report.paragraphs:
        if text:
            doc.paragraph(text)
    doc.heading(_("II. SỐ LIỆU CHI TIẾT"))
    for table in report.tables:
        if table.key == "comparison":
            doc.heading(_("III. SO SÁNH VỚI CÙNG THỜI ĐIỂM NĂM TRƯỚC"))
        doc.caption(table.title, note=_("Đơn vị tính: người"))
        rows: list[Any] = [_cells(table, row) for row in table.rows]
        if table.total is not None:
            rows.append(Row(_cells(table, table.total), bold=True))
        wide = len(table.headers) > 6
        written = doc.table(table.headers, rows, widths=table.widths, align=table.align,
                            font_size=10 if wide else 12)  # fmt: skip
        if len(rows) <= KEEP_TOGETHER_ROWS:
            doc.keep_together(written)
    doc.paragraph(closing_sentence(report))
    doc.signature(
        capacity=report.signer_capacity, title=report.signer_title, name=report.signer_name
    )
    doc.recipients(recipients(report))
    content = doc.save()
    assert content is not None
    return content


# ---- Excel ------------------------------------------------------------------------------------


def to_xlsx(report: ReportData) -> bytes:
    """The report as a workbook: a cover sheet (what, who, when, the filters, the sentences,
    the list of tables), then one sheet per table; numbers as numbers, header rows bold and
    frozen."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "dd/mm/yyyy", "align": "left"})
    link = book.add_format({"font_color": "blue", "underline": 1})
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter",
                              "align": "center", "border": 1, "bg_color": "#E7EEF7"})  # fmt: skip
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    integer = book.add_format({"border": 1, "num_format": "#,##0"})
    percent = book.add_format({"border": 1, "num_format": "0.0"})
    total_cell = book.add_format({"border": 1, "bold": True, "text_wrap": True})
    total_integer = book.add_format({"border": 1, "bold": True, "num_format": "#,##0"})
    total_percent = book.add_format({"border": 1, "bold": True, "num_format": "0.0"})

    cover = book.add_worksheet(_("Thông tin"))
    cover.set_column(0, 0, 30)
    cover.set_column(1, 1, 100)
    cover.write(0, 0, f"{report.kind.upper()}: {report.title}", title)
    facts: list[tuple[str, Any]] = [
        (_("Cơ quan báo cáo"), report.issuing_body),
        (_("Cơ quan cấp trên"), report.superior),
        (_("Số"), report.number.strip()),
        (_("Số liệu tính đến ngày"), report.as_of),
        (_("So sánh với ngày"), report.previous_as_of),
        (_("Ngày lập"), report.issued_on),
        (_("Đối tượng thống kê"), report.subject),
        (_("Đơn vị"), report.organization.name if report.organization is not None else ""),
        (_("Điều kiện lọc"), "; ".join(report.filter_lines)),
        (_("Tổng số (người)"), report.total),
        (_("Nguồn"), _("Cơ sở dữ liệu đội ngũ trí thức")),
    ]
    row = 2
    for label, value in facts:
        cover.write(row, 0, label, bold)
        if isinstance(value, date):
            cover.write_datetime(row, 1, datetime.combine(value, time.min), day)
        elif isinstance(value, int):
            cover.write_number(row, 1, value)
        else:
            cover.write_string(row, 1, str(value))
        row += 1
    row += 1
    cover.write(row, 0, _("Tóm tắt"), bold)
    for text in report.paragraphs:
        if text:
            cover.write_string(row, 1, text, wrap)
            row += 1
    row += 1
    cover.write(row, 0, _("Các biểu"), bold)
    for table in report.tables:
        cover.write_url(row, 1, f"internal:'{table.sheet_name}'!A1", link, table.title)
        row += 1

    for table in report.tables:
        sheet = book.add_worksheet(table.sheet_name[:31])
        sheet.write(0, 0, table.title, title)
        for j, text in enumerate(table.headers):
            sheet.write_string(1, j, text, header)
        sheet.set_row(1, 45)
        r = 2
        lines = [(values, False) for values in table.rows]
        if table.total is not None:
            lines.append((table.total, True))
        for values, is_total in lines:
            for j, value in enumerate(values):
                if value is None or value == "":
                    sheet.write_blank(r, j, None, total_cell if is_total else cell)
                elif isinstance(value, float) or j in table.percent:
                    sheet.write_number(r, j, float(value), total_percent if is_total else percent)
                elif isinstance(value, int):
                    sheet.write_number(r, j, value, total_integer if is_total else integer)
                else:
                    sheet.write_string(r, j, str(value), total_cell if is_total else cell)
            r += 1
        sheet.freeze_panes(2, 0)
        for j, text in enumerate(table.headers):
            column = [values[j] for values, _total in lines]
            if all(isinstance(v, int | float) or v in ("", None) for v in column):
                width = 8 if text == _("STT") else 14
            else:
                width = min(max([len(str(v)) for v in column] + [14]) + 2, 60)
            sheet.set_column(j, j, width)
    book.close()
    return buffer.getvalue()


# ---- PDF --------------------------------------------------------------------------------------

PDF_FONTS = {
    "normal": "DejaVuSerifCondensed.ttf",
    "bold": "DejaVuSerifCondensed-Bold.ttf",
    "italic": "DejaVuSerifCondensed-Italic.ttf",
    "boldItalic": "DejaVuSerifCondensed-BoldItalic.ttf",
}
PDF_FAMILY = "TriThucSerif"
_registered: dict[str, bool] = {}


def font_dir() -> Path:
    """Where the PDF's fonts are: TRITHUC_PDF_FONT_DIR (node_modules/dejavu-fonts-ttf/ttf)."""
    folder = getattr(settings, "TRITHUC_PDF_FONT_DIR", "")
    return Path(folder or Path(settings.BASE_DIR) / "node_modules" / "dejavu-fonts-ttf" / "ttf")


def register_fonts() -> str:
    """Registers the DejaVu Serif Condensed family (Vietnamese glyphs) with reportlab, once
    per folder; raises FontMissing with what to do when a file is not there."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    folder = font_dir()
    key = str(folder)
    if _registered.get(key):
        return PDF_FAMILY
    missing = [name for name in PDF_FONTS.values() if not (folder / name).is_file()]
    if missing:
        raise FontMissing(
            _(
                "Chưa cài phông chữ tiếng Việt để tạo PDF (thiếu %(files)s trong %(folder)s). "
                "Hãy chạy “npm ci” trong thư mục cài đặt hoặc đặt TRITHUC_PDF_FONT_DIR; trong "
                "lúc chờ, hãy tải bản Word hoặc Excel."
            )
            % {"files": ", ".join(missing), "folder": folder}
        )
    try:
        for style, name in PDF_FONTS.items():
            pdfmetrics.registerFont(TTFont(f"{PDF_FAMILY}-{style}", str(folder / name)))
    except TTFError as exc:
        raise FontMissing(
            _("Không đọc được phông chữ trong %(folder)s (%(error)s).")
            % {"folder": folder, "error": str(exc)[:200]}
        ) from exc
    for bold, italic, style in ((0, 0, "normal"), (1, 0, "bold"), (0, 1, "italic"),
                                (1, 1, "boldItalic")):  # fmt: skip
        addMapping(PDF_FAMILY, bold, italic, f"{PDF_FAMILY}-{style}")
    _registered[key] = True
    return PDF_FAMILY


def to_pdf(report: ReportData) -> bytes:
    """The report as an A4 PDF with the same header, title, sentences and tables as the Word
    document; pages numbered at the top from the second one (as Decree 30 asks)."""
    return _PdfWriter(register_fonts()).write(report)


class _PdfWriter:
    """The administrative layout drawn with reportlab: margins of Decree 30 (binding on the
    left), the two-column header, tables with their header row repeated on each page."""

    def __init__(self, family: str) -> None:
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm

        self.mm, self.page = mm, A4
        self.regular, self.bold = f"{family}-normal", f"{family}-bold"
        self.italic, self.bold_italic = f"{family}-italic", f"{family}-boldItalic"
        self.width = A4[0] - 45 * mm  # left margin 30 mm (binding), right 15 mm
        self.left_w, self.right_w = 72 * mm, self.width - 72 * mm
        style = ParagraphStyle
        self.body = style("body", fontName=self.regular, fontSize=12, leading=15.5,
                          alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=5)  # fmt: skip
        self.center = style("center", parent=self.body, alignment=TA_CENTER, firstLineIndent=0,
                            spaceAfter=0)  # fmt: skip
        self.heading = style("heading", parent=self.body, fontName=self.bold, spaceBefore=4,
                             keepWithNext=1)  # fmt: skip
        self.caption = style("caption", parent=self.center, fontName=self.bold, spaceBefore=8,
                             keepWithNext=1)  # fmt: skip
        self.unit_note = style("unit", parent=self.body, fontName=self.italic, fontSize=10,
                               leading=12, alignment=TA_RIGHT, firstLineIndent=0, spaceAfter=2,
                               keepWithNext=1)  # fmt: skip
        self.cell = style("cell", fontName=self.regular, fontSize=10, leading=12)
        self.small = style("small", parent=self.cell, fontSize=9, leading=11)

    def p(self, text: str, style: Any) -> Any:
        from xml.sax.saxutils import escape

        from reportlab.platypus import Paragraph

        return Paragraph(escape(text), style)

    def style(self, name: str, **options: Any) -> Any:
        """A paragraph style based on the centred one (or on `parent`)."""
        from reportlab.lib.styles import ParagraphStyle

        options.setdefault("parent", self.center)
        return ParagraphStyle(name, **options)

    def line(self, text: str, font: str, size: float, available: float) -> Any:
        """A centred line of the header in `font`, made smaller until it fits `available`."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        while size > 8 and stringWidth(text, font, size) > available - 6:
            size -= 0.5
        return self.p(text, self.style(f"line{size}", fontName=font, fontSize=size,
                                       leading=size * 1.25))  # fmt: skip

    def write(self, report: ReportData) -> bytes:
        from reportlab.platypus import SimpleDocTemplate

        story = [*self.header(report), *self.opening(report)]
        for table in report.tables:
            heading = []
            if table.key == "comparison":
                heading.append(self.p(_("III. SO SÁNH VỚI CÙNG THỜI ĐIỂM NĂM TRƯỚC"), self.heading))
            story += self.table(table, before=heading)
        story += self.closing(report)
        mm, page_height = self.mm, self.page[1]

        def number_pages(canvas: Any, document: Any) -> None:
            canvas.saveState()
            canvas.setFont(self.regular, 11)
            canvas.drawCentredString(30 * mm + self.width / 2, page_height - 12 * mm,
                                     str(document.page))  # fmt: skip
            canvas.restoreState()

        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=self.page,
            leftMargin=30 * mm,
            rightMargin=15 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=f"{report.kind}: {report.title}",
            author=report.issuing_body,
            subject=_("Thống kê đội ngũ trí thức"),
            lang="vi",
        )
        document.build(story, onLaterPages=number_pages)
        return buffer.getvalue()

    def header(self, report: ReportData) -> list[Any]:
        from reportlab.platypus import Table, TableStyle

        mm, size = self.mm, 11
        left: list[Any] = []
        if report.superior:
            superior = abbreviate_superior(report.superior).upper()
            left.append(self.line(superior, self.regular, size, self.left_w))
        issuer = self.style("issuer", fontName=self.bold, fontSize=size, leading=size * 1.25)
        left += [self.p(report.issuing_body.upper(), issuer), _rule(22 * mm)]
        national = _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        motto = _("Độc lập - Tự do - Hạnh phúc")
        right = [
            self.line(national, self.bold, size, self.right_w),
            self.line(motto, self.bold, 12, self.right_w),
            _rule(48 * mm),
        ]
        # The blanks of the number are left for the office to fill: kept as they are.
        number = _("Số: %(number)s") % {"number": report.number} if report.number else ""
        number_line = self.p(number.replace(" ", "\u00a0"), self.center)
        day = self.p(vietnamese_date(report.issued_on, report.place),
                     self.style("date", fontName=self.italic))  # fmt: skip
        table = Table([[left, right], [number_line, day]], colWidths=[self.left_w, self.right_w])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 1), (-1, 1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]))  # fmt: skip
        kind = self.style("kind", fontName=self.bold, fontSize=13, leading=16, spaceBefore=14)
        title = self.style("title", fontName=self.bold, fontSize=12.5, leading=16)
        return [
            table,
            self.p(report.kind.upper(), kind),
            self.p(report.title, title),
            _rule(40 * mm, before=6, after=8),
        ]

    def opening(self, report: ReportData) -> list[Any]:
        story = [
            self.p(opening_sentence(report), self.body),
            self.p(_("I. TÌNH HÌNH CHUNG"), self.heading),
        ]
        story += [self.p(text, self.body) for text in report.paragraphs if text]
        story.append(self.p(_("II. SỐ LIỆU CHI TIẾT"), self.heading))
        return story

    def table(self, table: ReportTable, *, before: list[Any]) -> list[Any]:
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
        from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

        base = self.small if len(table.headers) > 6 else self.cell
        aligns = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}
        head = self.style("th", parent=base, fontName=self.bold, alignment=TA_CENTER)
        plain = [self.style(f"td{i}", parent=base, alignment=aligns[a])
                 for i, a in enumerate(table.align)]  # fmt: skip
        strong = [self.style(f"tb{i}", parent=s, fontName=self.bold) for i, s in enumerate(plain)]
        data = [[self.p(h, head) for h in table.headers]]
        data += [[self.p(t, s) for t, s in zip(_cells(table, row), plain, strict=True)]
                 for row in table.rows]  # fmt: skip
        if table.total is not None:
            data.append(
                [self.p(t, s) for t, s in zip(_cells(table, table.total), strong, strict=True)]
            )
        weights = table.widths or [1] * len(table.headers)
        grid = Table(data, colWidths=[self.width * w / sum(weights) for w in weights],
                     repeatRows=1)  # fmt: skip
        grid.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))  # fmt: skip
        if len(data) - 1 <= KEEP_TOGETHER_ROWS:
            lead = [*before, self.p(table.title, self.caption),
                    self.p(_("Đơn vị tính: người"), self.unit_note)]  # fmt: skip
            return [KeepTogether([*lead, grid]), Spacer(1, 4)]
        # A long table starts where there is room for its caption, header and a few rows,
        # and goes on over the pages (its lines are not "kept with next": that would move the
        # whole table to a new page first).
        loose = {"keepWithNext": 0}
        lead = [
            *before,
            self.p(table.title, self.style("caption-long", parent=self.caption, **loose)),
            self.p(
                _("Đơn vị tính: người"), self.style("unit-long", parent=self.unit_note, **loose)
            ),
        ]
        return [CondPageBreak(60 * self.mm), *lead, grid, Spacer(1, 4)]

    def closing(self, report: ReportData) -> list[Any]:
        from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

        ending = self.p(closing_sentence(report), self.body)
        label = self.style("label", parent=self.small, fontName=self.bold_italic, fontSize=11,
                           alignment=0)  # fmt: skip
        entry_style = self.style("entry", parent=self.small, alignment=0)
        entries = recipients(report)
        left = [self.p(_("Nơi nhận:"), label)] + [
            self.p(f"- {entry}{'.' if i == len(entries) - 1 else ';'}", entry_style)
            for i, entry in enumerate(entries)
        ]
        signer = self.style("signer", fontName=self.bold)
        lines = [line for line in (report.signer_capacity, report.signer_title) if line]
        right = [self.p(line.upper(), signer) for line in lines]
        right += [Spacer(1, 24 * self.mm), self.p(report.signer_name, signer)]
        table = Table([[left, right]], colWidths=[self.left_w, self.right_w])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2)]))  # fmt: skip
        return [ending, KeepTogether([Spacer(1, 6), table])]


def _rule_class() -> type:
    from reportlab.platypus import Flowable

    class Rule(Flowable):  # type: ignore[misc]
        """A short horizontal rule centred in the width it is given (a frame or a cell)."""

        def __init__(self, length: float, *, before: float = 5, after: float = 2) -> None:
            super().__init__()
            self.length, self.before, self.after = length, before, after
            self.available = length

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            self.available = available_width
            return available_width, self.before + self.after

        def draw(self) -> None:
            x = max(0.0, (self.available - self.length) / 2)
            self.canv.setLineWidth(0.6)
            self.canv.line(x, self.after, x + self.length, self.after)

    return Rule


def _rule(length: float, **options: Any) -> Any:
    return _rule_class()(length, **options)
