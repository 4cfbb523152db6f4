"""KPI indicators of the action programme, measured on the registry.

An indicator counts people with the registry list's filters (a query string such as
`is_leader=true&training=international_integration&training_from=2021&status=working`),
within its organisation's subtree: a *count* is the numerator's number of people, a *ratio*
is 100 × numerator / denominator (no value when the denominator counts nobody).

Progress runs from the baseline to the target (in %); an indicator is *on track* when its
value has reached the value planned for today on the straight line from (baseline date,
baseline value) to (target date, target value).

Values are measured and stored (`IndicatorValue`, one per indicator and date) on the 1st of
each month by the scheduler's daily task, and when an indicator is created or its filters
change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from trithuc.organizations.fields import SEPARATOR
from trithuc.organizations.models import AdministrativeUnit, Organization, normalize_code
from trithuc.registry import choices as rc

from .aggregates import population
from .models import Indicator, IndicatorValue

logger = logging.getLogger(__name__)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
# Parameters of the list page's address that are not filters (its pagination): dropped from
# a pasted address without a word.
NOT_FILTERS = frozenset({"page"})
# Filters an indicator may not use. `q` looks people up by name or citizen ID: an indicator
# counts characteristics, never a named person (and a count must not test an ID number).
REFUSED = {"q": gettext_lazy("chỉ tiêu đếm theo đặc điểm, không tìm theo tên hay số định danh")}
# The period bounds qualify the training filter and mean nothing without it.
NEEDS = {"training_from": "training", "training_to": "training"}
TRUE_VALUES = {"true": "true", "1": "true", "false": "false", "0": "false"}
DEFAULT_STATUS = rc.PersonStatus.WORKING.value
MAX_FILTER_LENGTH = 1000  # Indicator.numerator / denominator


# ---- filters --------------------------------------------------------------------------------


class FilterError(ValueError):
    """Filters that cannot be counted; `messages` say which parameter and why, in Vietnamese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _filterset_class() -> Any:
    from trithuc.registry.filtersets import PersonFilterSet

    return PersonFilterSet


def filter_names() -> list[str]:
    """The registry list's filters, in the order of its form."""
    return list(_filterset_class().base_filters)


def _query_part(text: str) -> str:
    """The query string of what was typed or pasted: a whole address of the list page
    (`https://…/people/?degree=TS`), the part after “?”, or bare filters."""
    text = (text or "").strip()
    if "?" in text:
        text = text.split("?", 1)[1]
    elif text.startswith(("/", "http://", "https://")):
        return ""  # the list's address without any filter
    return text.split("#", 1)[0].strip().lstrip("&")


def parse_filters(text: str) -> QueryDict:
    """The filters written in `text`, without empty values and pagination (as copied from the
    list page, whose form sends every field, empty or not)."""
    raw = QueryDict(_query_part(text))
    params = QueryDict(mutable=True)
    for name, values in raw.lists():
        if name in NOT_FILTERS:
            continue
        kept: list[str] = []
        for value in values:
            value = value.strip()
            if value and value not in kept:
                kept.append(value)
        if kept:
            params.setlist(name.strip(), kept)
    return params


def _within_code(value: str) -> str:
    # A suggestion picked in the list's form reads "SNV · Sở Nội vụ".
    return normalize_code(value.split(SEPARATOR, 1)[0])


def _param(name: str, label: Any = None) -> str:
    return f"“{name}” ({label})" if label else f"“{name}”"


def _choice_values(form_field: Any) -> list[str]:
    return [str(value) for value, _label in form_field.choices if value not in ("", None)]


def validate_filters(text: str, *, organization: Organization | None = None) -> list[str]:
    """Why `text` cannot be counted, one Vietnamese message per problem, each naming the
    parameter; empty when every parameter is a known filter with a valid value."""
    if "\x00" in (text or ""):
        return [_("Bộ lọc có ký tự rỗng (NUL); hãy gõ hoặc dán lại.")]
    params = parse_filters(text)
    fs_class = _filterset_class()
    known = fs_class.base_filters
    form = fs_class(QueryDict(), queryset=_no_people()).form
    errors: list[str] = []
    for name, values in params.lists():
        if name not in known:
            errors.append(
                _(
                    "Tham số %(name)s không phải là bộ lọc của danh sách trí thức. Các bộ lọc "
                    "dùng được: %(names)s."
                )
                % {"name": _param(name), "names": ", ".join(n for n in known if n not in REFUSED)}
            )
            continue
        form_field = form.fields[name]
        label = form_field.label
        if name in REFUSED:
            errors.append(
                _("Bộ lọc %(name)s không dùng cho chỉ tiêu: %(why)s. Hãy xóa tham số này.")
                % {"name": _param(name, label), "why": REFUSED[name]}
            )
            continue
        multiple = hasattr(form_field, "widget") and getattr(
            form_field.widget, "allow_multiple_selected", False
        )
        if len(values) > 1 and not multiple:
            errors.append(
                _(
                    "Bộ lọc %(name)s chỉ nhận một giá trị, nhưng có %(n)s (%(values)s). Hãy giữ "
                    "một giá trị."
                )
                % {"name": _param(name, label), "n": len(values), "values": ", ".join(values)}
            )
            continue
        needed = NEEDS.get(name)
        if needed and needed not in params:
            errors.append(
                _(
                    "Bộ lọc %(name)s chỉ có tác dụng cùng bộ lọc %(needed)s; hãy thêm "
                    "%(needed_name)s=… hoặc xóa tham số này."
                )
                % {
                    "name": _param(name, label),
                    "needed": _param(needed, form.fields[needed].label),
                    "needed_name": needed,
                }
            )
        if name == "within":
            errors.extend(_within_errors(values[0], label, organization))
        elif name == "admin_unit":
            if not AdministrativeUnit.objects.filter(code=values[0]).exists():
                errors.append(
                    _(
                        "Bộ lọc %(name)s: không có đơn vị hành chính mã “%(value)s”; hãy ghi mã "
                        "tỉnh hoặc xã, phường (ví dụ 01)."
                    )
                    % {"name": _param(name, label), "value": values[0]}
                )
        elif name == "is_leader":
            if values[0].lower() not in TRUE_VALUES:
                errors.append(
                    _(
                        "Bộ lọc %(name)s: giá trị “%(value)s” không hợp lệ; hãy ghi true (có) "
                        "hoặc false (không)."
                    )
                    % {"name": _param(name, label), "value": values[0]}
                )
        elif hasattr(form_field, "choices"):
            allowed = _choice_values(form_field)
            wrong = [v for v in values if v not in allowed]
            if wrong:
                errors.append(
                    _(
                        "Bộ lọc %(name)s: giá trị %(values)s không hợp lệ. Giá trị dùng được: "
                        "%(allowed)s."
                    )
                    % {
                        "name": _param(name, label),
                        "values": ", ".join(f"“{v}”" for v in wrong),
                        "allowed": ", ".join(allowed[:40]) + (" …" if len(allowed) > 40 else ""),
                    }
                )
        else:
            bound = form_field.widget.value_from_datadict(params, {}, name)
            try:
                form_field.clean(bound)
            except Exception as exc:  # a ValidationError: its messages say why
                reasons = " ".join(getattr(exc, "messages", [str(exc)])).rstrip(".")
                errors.append(
                    _("Bộ lọc %(name)s: giá trị “%(value)s” không hợp lệ (%(reason)s).")
                    % {"name": _param(name, label), "value": values[0], "reason": reasons}
                )
    return errors


def _within_errors(value: str, label: Any, organization: Organization | None) -> list[str]:
    code = _within_code(value)
    found = Organization.objects.filter(code=code).only("path", "code").first()
    if found is None:
        return [
            _("Bộ lọc %(name)s: không có đơn vị mã “%(code)s”.")
            % {"name": _param("within", label), "code": code}
        ]
    if organization is not None and not found.path.startswith(organization.path):
        return [
            _(
                "Bộ lọc %(name)s: đơn vị “%(code)s” không thuộc phạm vi của chỉ tiêu "
                "(%(scope)s); chỉ tiêu chỉ đếm người trong đơn vị đó và các đơn vị trực thuộc."
            )
            % {"name": _param("within", label), "code": code, "scope": organization.code}
        ]
    return []


def normalize_filters(text: str) -> str:
    """The canonical form stored: the filters in the list form's order, each value once, the
    organisation as its code, and the status counted said outright (people at work unless
    the filters name others)."""
    params = parse_filters(text)
    if not params.getlist("status"):
        params.setlist("status", [DEFAULT_STATUS])
    out = QueryDict(mutable=True)
    for name in filter_names():
        if name in params:
            values = params.getlist(name)
            if name == "within":
                values = [_within_code(values[0])]
            elif name == "is_leader":
                values = [TRUE_VALUES.get(values[0].lower(), values[0])]
            out.setlist(name, values)
    for name, values in params.lists():  # unknown names stay, for their error to be shown
        if name not in out:
            out.setlist(name, values)
    return out.urlencode()


def describe_filters(text: str) -> list[tuple[str, str]]:
    """(filter label, chosen values) as a person reads them: “Học hàm: Giáo sư, Phó giáo sư”."""
    params = parse_filters(text)
    fs_class = _filterset_class()
    form = fs_class(QueryDict(), queryset=_no_people()).form
    rows: list[tuple[str, str]] = []
    for name, values in params.lists():
        form_field = form.fields.get(name)
        if form_field is None:
            rows.append((name, ", ".join(values)))
            continue
        if name == "within":
            code = _within_code(values[0])
            org = Organization.objects.filter(code=code).only("name").first()
            shown = [f"{code} · {org.name}" if org else code]
        elif name == "is_leader":
            yes = TRUE_VALUES.get(values[0].lower()) == "true"
            shown = [_("Có") if yes else _("Không")]
        elif hasattr(form_field, "choices"):
            labels = {str(k): str(v) for k, v in form_field.choices}
            shown = [labels.get(v, v) for v in values]
        else:
            shown = values
        rows.append((str(form_field.label), ", ".join(shown)))
    if not params.getlist("status"):
        rows.append((_("Tình trạng"), _("Đang công tác (mặc định)")))
    return rows


def _no_people() -> QuerySet:
    from trithuc.registry.models import Person

    return Person.objects.none()


def people_for(text: str, organization: Organization) -> QuerySet:
    """The people the filters select in the organisation's subtree (people at work unless
    the filters name statuses). Raises FilterError when they cannot be counted."""
    errors = validate_filters(text, organization=organization)
    if errors:
        raise FilterError(errors)
    params = parse_filters(text)
    within = params.pop("within", None)
    people, _filterset = population(None, data=params)
    people = people.filter(organization__path__startswith=organization.path)
    if within:
        unit = Organization.objects.get(code=_within_code(within[0]))
        people = people.filter(organization__path__startswith=unit.path)
    return people


def count_people(text: str, organization: Organization) -> int:
    return people_for(text, organization).count()


def list_url(text: str, organization: Organization) -> str:
    """The registry list showing the people behind a count (the viewer's own scope applies
    there): the same filters, the status made explicit, within the indicator's unit."""
    params = parse_filters(normalize_filters(text))
    if not params.getlist("within"):
        params.setlist("within", [organization.code])
    return f"{reverse('registry:person_list')}?{params.urlencode()}"


# ---- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    """Counts and value of an indicator at one moment; `value` is None for a ratio whose
    denominator counts nobody, and everything is None when the filters cannot be counted."""

    numerator: int | None
    denominator: int | None
    value: Decimal | None
    errors: list[str] = field(default_factory=list)


def ratio(numerator: int, denominator: int | None) -> Decimal | None:
    if not denominator:
        return None
    return (HUNDRED * numerator / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)


def compute(indicator: Indicator) -> Measurement:
    """The indicator's value now, for its organisation's subtree."""
    organization = indicator.organization
    try:
        numerator = count_people(indicator.numerator, organization)
        if indicator.kind == Indicator.Kind.COUNT:
            return Measurement(numerator, None, Decimal(numerator))
        denominator = count_people(indicator.denominator, organization)
    except FilterError as exc:
        return Measurement(None, None, None, exc.messages)
    return Measurement(numerator, denominator, ratio(numerator, denominator))


def measure(indicator: Indicator, on: date) -> IndicatorValue | None:
    """Store the indicator's value for `on` (one row per date: measuring again replaces it).
    None, and nothing stored, when its filters cannot be counted."""
    found = compute(indicator)
    if found.numerator is None:
        logger.warning("Indicator %s not measured: %s", indicator.pk, "; ".join(found.errors))
        return None
    stored, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        measured_on=on,
        defaults={
            "numerator": found.numerator,
            "denominator": found.denominator,
            "value": found.value,
        },
    )
    return stored


def measure_indicators(today: date) -> dict[str, Any]:
    """The monthly measurement: on the 1st every indicator is measured; on another day only
    those without a value this month (created while the queue was down, or the 1st missed)."""
    indicators = Indicator.objects.select_related("organization").order_by("pk")
    if today.day != 1:
        this_month = IndicatorValue.objects.filter(measured_on__gte=today.replace(day=1))
        indicators = indicators.exclude(pk__in=this_month.values("indicator_id"))
    measured, failed = 0, []
    for indicator in indicators:
        with transaction.atomic():
            stored = measure(indicator, today)
        if stored is None:
            failed.append(indicator.code)
        else:
            measured += 1
    return {"date": today.isoformat(), "measured": measured, "failed": failed}


@task()
def daily_indicator_measurements() -> dict[str, Any]:
    """The scheduler's daily task: the monthly measurement (see measure_indicators)."""
    return measure_indicators(timezone.localdate())


@task()
def measure_indicator(indicator_id: int, on: str) -> bool:
    """Measure one indicator for a date (ISO), after it was created or its filters changed."""
    indicator = Indicator.objects.select_related("organization").filter(pk=indicator_id).first()
    if indicator is None:
        return False
    return measure(indicator, date.fromisoformat(on)) is not None


def measure_after_commit(indicator: Indicator) -> None:
    """Queue the indicator's measurement for today once the transaction saving it commits."""
    pk, on = indicator.pk, timezone.localdate().isoformat()

    def enqueue() -> None:
        try:
            measure_indicator.enqueue(pk, on)
        except Exception:  # the queue unreachable: the daily task measures it this month
            logger.exception("Measurement of indicator %s could not be queued", pk)

    transaction.on_commit(enqueue)


# ---- progress -------------------------------------------------------------------------------

ACHIEVED = "achieved"
ON_TRACK = "on_track"
BEHIND = "behind"
UNKNOWN = "unknown"
STATUSES = [ACHIEVED, ON_TRACK, BEHIND, UNKNOWN]  # named IndicatorStatusEnum in the OpenAPI
STATUS_LABELS = {
    ACHIEVED: gettext_lazy("Đã đạt mục tiêu"),
    ON_TRACK: gettext_lazy("Đúng tiến độ"),
    BEHIND: gettext_lazy("Chậm tiến độ"),
    UNKNOWN: gettext_lazy("Chưa đánh giá được"),
}


def _start(indicator: Indicator) -> Decimal:
    return indicator.baseline_value if indicator.baseline_value is not None else Decimal(0)


def _rising(indicator: Indicator) -> bool:
    return indicator.target_value >= _start(indicator)


def reached(indicator: Indicator, value: Decimal | None) -> bool:
    if value is None:
        return False
    if _rising(indicator):
        return value >= indicator.target_value
    return value <= indicator.target_value


def progress(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    """How far `value` has come from the baseline (0 when none) to the target, in %: 0 at
    the baseline, 100 at the target; below 0 or above 100 when it went back or beyond."""
    if value is None:
        return None
    start = _start(indicator)
    span = indicator.target_value - start
    if span == 0:
        return HUNDRED if reached(indicator, value) else Decimal(0)
    return ((value - start) * HUNDRED / span).quantize(TENTH, ROUND_HALF_UP)


def planned(indicator: Indicator, on: date) -> Decimal | None:
    """The value planned for `on`: on the straight line from the baseline (value, date) to
    the target (value, date); the baseline before it, the target after. None without a
    baseline value and date."""
    if indicator.baseline_value is None or indicator.baseline_date is None:
        return None
    start, end = indicator.baseline_date, indicator.target_date
    if on <= start or end <= start:
        return indicator.baseline_value if on < end else indicator.target_value
    if on >= end:
        return indicator.target_value
    share = Decimal((on - start).days) / Decimal((end - start).days)
    value = indicator.baseline_value + (indicator.target_value - indicator.baseline_value) * share
    return value.quantize(CENT, ROUND_HALF_UP)


def status(indicator: Indicator, value: Decimal | None, on: date) -> str:
    """achieved, on_track (at or past the planned value for `on`), behind, or unknown (no
    value, or no baseline to draw the plan from)."""
    if value is None:
        return UNKNOWN
    if reached(indicator, value):
        return ACHIEVED
    expected = planned(indicator, on)
    if expected is None:
        return UNKNOWN
    ahead = value >= expected if _rising(indicator) else value <= expected
    return ON_TRACK if ahead else BEHIND


@dataclass
class Assessment:
    """An indicator's value on a date with its progress and whether it is on track."""

    indicator: Indicator
    on: date
    measurement: Measurement
    progress: Decimal | None
    planned: Decimal | None
    status: str

    @property
    def value(self) -> Decimal | None:
        return self.measurement.value

    @property
    def on_track(self) -> bool | None:
        if self.status == UNKNOWN:
            return None
        return self.status in (ACHIEVED, ON_TRACK)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def bar(self) -> Decimal:
        """The progress bar's width: the progress held within 0–100 %."""
        return min(max(self.progress or Decimal(0), Decimal(0)), HUNDRED)


def assess(
    indicator: Indicator, on: date | None = None, measurement: Measurement | None = None
) -> Assessment:
    """The indicator's current value (computed now unless given) judged against its plan."""
    on = on or timezone.localdate()
    measurement = measurement if measurement is not None else compute(indicator)
    value = measurement.value
    return Assessment(
        indicator=indicator,
        on=on,
        measurement=measurement,
        progress=progress(indicator, value),
        planned=planned(indicator, on),
        status=status(indicator, value, on),
    )
