"""Walks every URL pattern with every audience (see tests/permission_matrix.py)."""

import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from trithuc.core.jobs import Job
from trithuc.insights.models import Indicator, Scenario
from trithuc.intake.models import ImportBatch
from trithuc.notifications.models import Notification
from trithuc.organizations.models import AdministrativeUnit
from trithuc.plans.models import (
    PlanDocument,
    PlanTask,
    ReportEvidence,
    ReportingPeriod,
    TaskReport,
)
from trithuc.registry.models import FieldOfScience, Person

from .factories import UserFactory
from .permission_matrix import (
    API_DENY,
    AUDIENCES,
    DELEGATED,
    LOGIN,
    MATRIX,
)
from .registry.factories import one_of_each_record


def url_patterns():
    """(namespaced name, route, callback module) for every pattern of the platform."""

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                callback = getattr(p.callback, "view_class", p.callback)
                yield name, prefix + str(p.pattern), callback.__module__

    return list(walk(get_resolver().url_patterns, "", None))


def is_delegated(module: str) -> bool:
    return any(module.startswith(prefix) for prefix in DELEGATED)


def test_every_url_pattern_has_a_rule():
    missing = [
        f"{route} (name={name}, view module={module})"
        for name, route, module in url_patterns()
        if not is_delegated(module) and name not in MATRIX
    ]
    assert not missing, (
        "These URL patterns have no rule in tests/permission_matrix.py; add who may open "
        "them:\n" + "\n".join(missing)
    )


def test_matrix_has_no_stale_rules():
    names = {name for name, _route, _module in url_patterns()}
    assert set(MATRIX) <= names, f"Rules for URLs that no longer exist: {set(MATRIX) - names}"


@pytest.fixture
def audiences(tree, make_staff):
    staff = {
        "admin": make_staff("admin", tree["city"]),
        "data_steward": make_staff("data_steward", tree["city"]),
        "hr_officer": make_staff("hr_officer", tree["dept_a"]),
        "plan_coordinator": make_staff("plan_coordinator", tree["dept_b"]),
        "leader": make_staff("leader", tree["city"]),
        "council_member": make_staff("council_member", tree["dept_a"]),
    }
    staff["intellectual"] = UserFactory()
    return staff


@pytest.fixture
def objects(tree, audiences, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trithuc.organizations.importers import store_upload

    settings.MEDIA_ROOT = tmp_path
    hr = audiences["hr_officer"]
    person = _person_with_photo(tree["unit_a1"])
    return {
        "person": person,
        **_plan_objects(tree["unit_a1"]),
        "plan_upload": _plan_upload(audiences["plan_coordinator"]),
        **one_of_each_record(person),
        "person_version": person.history.earliest("history_date").history_id,
        "section": "trainings",
        "taxonomy": "fields",
        "field": FieldOfScience.objects.get(version="2025", code="102"),
        "upload": store_upload(
            SimpleUploadedFile("to-chuc.xlsx", b"PK\x03\x04"), user=audiences["data_steward"]
        ),
        "org": tree["unit_a1"],
        "unit": AdministrativeUnit.objects.get(code="01"),
        "membership": hr.memberships.get(),
        "user": UserFactory(organization=tree["unit_a1"]),
        "job": Job.objects.create(
            kind="test", title="Nhập danh sách", created_by=hr, organization=tree["dept_a"]
        ),
        "notification": Notification.objects.create(
            recipient=hr, kind="reminder", title="Nhắc hạn", key="matrix"
        ),
        "indicator": _indicator(tree["unit_a1"]),
        "import_batch": ImportBatch.objects.create(
            organization=tree["dept_a"], uploaded_by=hr, file_name="danh-sach.xlsx"
        ),
        "scenario": Scenario.objects.create(
            organization=tree["unit_a1"], name="Kịch bản cơ sở", attrition={"*": 2}
        ),
        **_linkage_objects(person),
    }


def _linkage_objects(person):
    from trithuc.linkage.models import CandidatePair, Merge

    other = Person.objects.create(
        full_name="Nguyen Thi Mau", birth_date=date(1980, 1, 1), gender="female",
        sector="public_service", organization=person.organization,
    )  # fmt: skip
    pair = CandidatePair.objects.create(
        person_a=person, person_b=other, probability=0.97, method="probabilistic", cluster=1
    )
    merge = Merge.objects.create(
        survivor=person, absorbed_pk=10**9, absorbed_name="Nguyễn Thị Mẫu",
        absorbed_organization=person.organization,
    )  # fmt: skip
    return {"pair": pair, "merge": merge}


def _indicator(organization):
    return Indicator.objects.create(
        organization=organization,
        code="CT-01",
        name="Số tiến sĩ",
        kind="count",
        numerator="degree=TS&status=working",
        target_value=10,
        target_date=date(2030, 12, 31),
    )


def _plan_objects(organization):
    plan = PlanDocument.objects.create(
        kind="plan", title="Kế hoạch thực hiện", organization=organization
    )
    task = PlanTask.objects.create(
        document=plan, content="Xây dựng cơ sở dữ liệu", lead=organization, lead_text="Sở"
    )
    period = ReportingPeriod.objects.create(
        document=plan, kind="year", start=date(2025, 1, 1), end=date(2025, 12, 31),
        due=date(2025, 12, 31),
    )  # fmt: skip
    report = TaskReport.objects.create(
        task=task, period=period, organization=organization, done="Đã khảo sát", status="submitted"
    )
    evidence = ReportEvidence.objects.create(
        report=report, file=ContentFile(b"%PDF-1.4", name="bien-ban.pdf"), name="bien-ban.pdf"
    )
    # Published by the city: its progress page is open to everyone, signed in or not.
    public_plan = PlanDocument.objects.create(
        kind="plan", title="Kế hoạch công khai", organization=organization, is_public=True
    )
    return {
        "plan": plan,
        "plan_task": task,
        "plan_report": report,
        "plan_evidence": evidence,
        "public_plan": public_plan,
    }


def _plan_upload(user):
    from trithuc.plans.importing import UPLOADS

    upload_id = UPLOADS.save(
        SimpleUploadedFile("ke-hoach.txt", "TT\tNội dung\n".encode()), user=user,
        organization_id=user.memberships.get().organization_id, title="Kế hoạch",
    )  # fmt: skip
    UPLOADS.update(upload_id, report={"tasks": [], "counts": {}, "agencies_to_review": []})
    return upload_id


def _person_with_photo(organization):
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (3, 4), "white").save(buffer, "PNG")
    person = Person(
        full_name="Nguyễn Thị Mẫu",
        birth_date=date(1980, 1, 1),
        gender="female",
        sector="public_service",
        organization=organization,
    )
    person.photo.save("mau.png", ContentFile(buffer.getvalue()), save=False)
    person.save()
    return person


def expected_matches(expected, response) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(
            reverse("account_login")
        )
    if expected == API_DENY:
        return response.status_code in {401, 403}
    return response.status_code == expected


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_page_access_by_audience(name, audiences, objects):
    kwargs_spec, expectations = MATRIX[name]
    kwargs = {
        key: getattr(objects[value], "pk", objects[value]) for key, value in kwargs_spec.items()
    }
    url = reverse(name, kwargs=kwargs)
    wrong = []
    for audience in AUDIENCES:
        client = Client()
        if audience != "anonymous":
            client.force_login(audiences[audience])
        response = client.get(url)
        expected = expectations[audience]
        if not expected_matches(expected, response):
            wrong.append(f"{audience}: expected {expected}, got {response.status_code}")
    assert not wrong, f"{url}\n" + "\n".join(wrong)


def test_matrix_routes_are_well_formed():
    # A rule's kwargs must name every parameter of the route.
    for name, route, _module in url_patterns():
        if name in MATRIX:
            params = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(
                re.findall(r"\(\?P<(\w+)>", route)
            )
            params.discard("format")
            assert params <= set(MATRIX[name][0]), f"{name}: route needs {params}"
