"""API of the registry: people (with the audited read of sensitive fields), one endpoint per
kind of sub-record (built by one factory), and the taxonomies, read-only."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from trithuc.core.api.views import RestrictedModelViewSet, RestrictedReadOnlyViewSet

from .. import services
from ..filtersets import PersonFilterSet
from ..models import (
    AcademicTitle,
    AssociationMembership,
    Award,
    Consent,
    Degree,
    DegreeLevel,
    EthnicGroup,
    Expertise,
    FieldOfScience,
    LanguageSkill,
    Patent,
    Person,
    PersonRecord,
    Position,
    ProfessorshipCouncil,
    Publication,
    ResearchProject,
    Training,
    Work,
)
from .serializers import (
    DegreeLevelSerializer,
    EthnicGroupSerializer,
    FieldOfScienceSerializer,
    PersonSerializer,
    ProfessorshipCouncilSerializer,
    SensitiveSerializer,
    record_serializer,
    taxonomy_foreign_keys,
)

# ---- people ---------------------------------------------------------------------------------


class PersonViewSet(RestrictedModelViewSet):
    """People in the caller's scope, filtered with the list page's filters; ordered as
    Vietnamese agencies sort names (given name first)."""

    # Everything the representation reads, in a fixed number of queries whatever the page size.
    queryset = (
        Person.objects.select_related("organization", "highest_degree")
        .prefetch_related(
            "titles", Prefetch("expertise", queryset=Expertise.objects.select_related("field"))
        )
        .order_by("sort_key", "id")
    )
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    @extend_schema(
        responses=SensitiveSerializer,
        description=(
            "Citizen ID, ethnicity and religion in clear, for the roles allowed sensitive "
            "data; each call is an audit event."
        ),
    )
    @action(detail=True, methods=["get"])
    def sensitive(self, request: Request, pk: Any = None) -> Response:
        person = self.get_object()  # outside the caller's view scope: 404
        try:
            values = services.read_sensitive(
                person, user=request.user, request=request, purpose="api"
            )
        except PermissionError as exc:
            raise exceptions.PermissionDenied(
                _("Vai trò của bạn không được xem dữ liệu cá nhân nhạy cảm của người này.")
            ) from exc
        ethnicity = values["ethnicity"]
        data = {
            "citizen_id": values["citizen_id"],
            "ethnicity": {"code": ethnicity.code, "name": ethnicity.name} if ethnicity else None,
            "religion": values["religion"],
        }
        response = Response(SensitiveSerializer(data).data)
        response["Cache-Control"] = "no-store"  # never kept by a browser or a proxy
        return response


# ---- sub-records ----------------------------------------------------------------------------


def record_filterset(model: type[PersonRecord]) -> type[django_filters.FilterSet]:
    """?person=<id>: the records of one person (within the caller's scope, like the rest)."""
    meta = type("Meta", (), {"model": model, "fields": ["person"]})
    person = django_filters.NumberFilter(field_name="person", label=gettext_lazy("Mã hồ sơ"))
    return type(
        f"{model.__name__}FilterSet", (django_filters.FilterSet,), {"person": person, "Meta": meta}
    )


def record_viewset(model: type[PersonRecord]) -> type[RestrictedModelViewSet]:
    """The endpoint of one kind of sub-record. Writes go through the model's save() and
    delete(), which refresh the person's summary; the scope follows the person."""
    ordering = [*(model._meta.ordering or []), "id"]
    taxonomies = [fk.name for fk in taxonomy_foreign_keys(model)]
    return type(
        f"{model.__name__}ViewSet",
        (RestrictedModelViewSet,),
        {
            "__doc__": (
                f"{model._meta.verbose_name_plural} of the people in the caller's scope "
                "(?person=<id> for one person)."
            ),
            "queryset": model.objects.select_related(*taxonomies).order_by(*ordering),
            "serializer_class": record_serializer(model),
            "filterset_class": record_filterset(model),
        },
    )


# (URL prefix, route basename, model): one endpoint per kind of sub-record.
RECORD_ENDPOINTS: list[tuple[str, str, type[PersonRecord]]] = [
    ("academic-titles", "academic-title", AcademicTitle),
    ("degrees", "degree", Degree),
    ("positions", "position", Position),
    ("expertise", "expertise", Expertise),
    ("languages", "language", LanguageSkill),
    ("trainings", "training", Training),
    ("publications", "publication", Publication),
    ("patents", "patent", Patent),
    ("projects", "project", ResearchProject),
    ("awards", "award", Award),
    ("works", "work", Work),
    ("association-memberships", "association-membership", AssociationMembership),
    ("consents", "consent", Consent),
]
RECORD_VIEWSETS = [
    (prefix, basename, record_viewset(model)) for prefix, basename, model in RECORD_ENDPOINTS
]


# ---- taxonomies -----------------------------------------------------------------------------


class FieldOfScienceFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(
        field_name="code", lookup_expr="startswith", label=gettext_lazy("Mã bắt đầu bằng")
    )

    class Meta:
        model = FieldOfScience
        fields = ["version", "level", "code", "parent", "is_active"]


class FieldOfScienceViewSet(RestrictedReadOnlyViewSet):
    """Fields of science and technology (versions 2008 and 2025): ?version=&level=&code=1."""

    queryset = FieldOfScience.objects.order_by("version", "code", "id")
    serializer_class = FieldOfScienceSerializer
    filterset_class = FieldOfScienceFilterSet


class DegreeLevelViewSet(RestrictedReadOnlyViewSet):
    """Degrees as HR records write them, highest first, with the spellings they come in."""

    queryset = DegreeLevel.objects.order_by("-rank", "code", "id")
    serializer_class = DegreeLevelSerializer
    filterset_fields = ["group", "is_active"]


class EthnicGroupViewSet(RestrictedReadOnlyViewSet):
    """The 54 ethnic groups (the list only: a person's ethnicity is under /sensitive/)."""

    queryset = EthnicGroup.objects.order_by("code", "id")
    serializer_class = EthnicGroupSerializer
    filterset_fields = ["is_active"]


class ProfessorshipCouncilViewSet(RestrictedReadOnlyViewSet):
    """The fields of the professorship councils (a GS/PGS title records one)."""

    queryset = ProfessorshipCouncil.objects.order_by("code", "id")
    serializer_class = ProfessorshipCouncilSerializer
    filterset_fields = ["is_active"]
