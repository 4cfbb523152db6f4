from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationType(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Cấp ủy Đảng")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND xã, phường")
    PUBLIC_UNIVERSITY = "public_university", _("Trường đại học công lập")
    HOSPITAL = "hospital", _("Bệnh viện")
    RESEARCH_INSTITUTE = "research_institute", _("Viện nghiên cứu")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    ASSOCIATION = "association", _("Hội, hiệp hội")
    OTHER = "other", _("Khác")


class AdministrativeLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Quận, huyện (trước 1/7/2025)")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
