"""Synthetic people for the demo and the benchmarks: invented Vietnamese intellectuals with
their sub-records, written in bulk. Never real personal data: names come from Faker vi_VN,
e-mail addresses end in example.invalid, DOIs use the 10.5555 test prefix.

Proportions follow docs/DOMAIN.md where it gives figures (about 40% TS among university
lecturers, GS/PGS a few percent, ages 24–75) and are plausible guesses elsewhere. Every record
passes the models' clean() rules. `bulk_create` skips `save()`, so the columns `save()` would
compute (folded name, sort key, birth date precision, retirement date) and the summary columns
(`derived.summary_of`) are computed here with the same functions.

Speed (200,000 people within three minutes on two cores): people go in with bulk_create, in
batches of 2,000, one transaction each; their first version in the history and their
sub-records (about 1.7 million rows) through `_Table`, which skips the per-value work of
bulk_create and of building model instances.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from faker import Faker

from trithuc.core.crypto import keyed_hash
from trithuc.core.fakes import vietnamese_full_name
from trithuc.core.text import fold, nfc, vietnamese_name_collation_key
from trithuc.organizations.choices import OrganizationType
from trithuc.organizations.models import AdministrativeUnit, Organization

from . import choices, derived
from .citizen_id import PROVINCE_CODES
from .models import (
    CURRENT_FIELD_VERSION,
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
from .services import set_citizen_id

SOURCE_DETAIL = "Dữ liệu trình diễn (seed_demo)"
BATCH_SIZE = 2_000
MIN_AGE, MAX_AGE = 24, 75
HOME_PROVINCE = "001"  # Hà Nội, the province code of most citizen IDs
HOME_UNIT_CODE = "01"  # Hà Nội in the administrative units (residence)

Progress = Callable[[int, int], None]


class NoOrganizationsError(ValueError):
    """There is no organisation to attach people to."""


# ---- what people do, by organisation ----------------------------------------------------------

# Level-2 fields (2025 codes) and their weights, by the kind of work an organisation does.
FIELD_POOLS: dict[str, dict[str, int]] = {
    "health": {"302": 50, "301": 8, "303": 14, "305": 18, "304": 3, "206": 4, "399": 3},
    "admin": {
        "502": 22, "505": 18, "506": 10, "503": 5, "504": 5, "508": 5, "102": 8, "201": 7,
        "202": 4, "507": 4, "401": 3, "105": 3, "207": 3, "501": 2, "599": 1,
    },
    "university": {
        "503": 18, "101": 7, "102": 9, "103": 4, "104": 4, "106": 4, "502": 10, "505": 4,
        "602": 10, "601": 6, "604": 6, "501": 4, "504": 3, "201": 3, "202": 3, "105": 3,
        "603": 2,
    },
    "research": {
        "502": 18, "504": 10, "507": 10, "201": 12, "105": 8, "102": 8, "207": 8, "506": 8,
        "601": 4, "401": 4, "599": 5, "202": 5,
    },
    "arts": {"604": 55, "602": 28, "601": 6, "699": 6, "508": 5},
    "education": {"503": 60, "101": 6, "602": 8, "501": 8, "102": 8, "505": 5, "502": 5},
    "culture": {"604": 25, "602": 15, "601": 20, "502": 20, "508": 15, "699": 5},
    "agriculture": {
        "401": 25, "402": 12, "403": 8, "404": 8, "405": 5, "406": 4, "105": 14, "207": 14,
        "502": 10,
    },
    "construction": {"201": 55, "507": 15, "207": 10, "203": 8, "202": 7, "604": 5},
    "science": {
        "102": 18, "202": 12, "203": 8, "106": 8, "104": 8, "201": 8, "502": 8, "101": 6,
        "209": 5, "210": 5, "205": 5, "211": 4, "207": 5,
    },
    "economy": {"502": 65, "505": 15, "102": 8, "203": 5, "211": 4, "507": 3},
    "law": {"505": 75, "502": 15, "506": 10},
    "foreign": {"506": 30, "602": 30, "502": 30, "505": 10},
    "ethnic_religion": {"504": 30, "603": 30, "601": 20, "506": 20},
    "politics": {"506": 45, "603": 15, "508": 15, "505": 10, "502": 10, "504": 5},
    "organization": {"506": 30, "505": 25, "501": 10, "504": 20, "502": 15},
}  # fmt: skip

# Words in an organisation's folded name that say what it does (first match wins).
NAME_HINTS: list[tuple[str, str]] = [
    ("benh", "health"),
    ("y te", "health"),
    ("giao duc", "education"),
    ("van hoc nghe thuat", "arts"),
    ("van hoa", "culture"),
    ("du lich", "culture"),
    ("nong nghiep", "agriculture"),
    ("quy hoach", "construction"),
    ("xay dung", "construction"),
    ("kien truc", "construction"),
    ("khoa hoc va cong nghe", "science"),
    ("khoa hoc va ky thuat", "science"),
    ("tai chinh", "economy"),
    ("cong thuong", "economy"),
    ("khu cong nghiep", "economy"),
    ("kinh te", "economy"),
    ("tu phap", "law"),
    ("thanh tra", "law"),
    ("ngoai vu", "foreign"),
    ("ton giao", "ethnic_religion"),
    ("tuyen giao", "politics"),
    ("can bo", "politics"),
    ("to chuc", "organization"),
    ("noi vu", "organization"),
]
TYPE_POOLS: dict[str, str] = {
    OrganizationType.HOSPITAL: "health",
    OrganizationType.PUBLIC_UNIVERSITY: "university",
    OrganizationType.RESEARCH_INSTITUTE: "research",
    OrganizationType.ASSOCIATION: "science",
}
# How many people an organisation of each type gets, relative to the others.
TYPE_WEIGHTS: dict[str, float] = {
    OrganizationType.PUBLIC_UNIVERSITY: 30.0,
    OrganizationType.HOSPITAL: 12.0,
    OrganizationType.RESEARCH_INSTITUTE: 6.0,
    OrganizationType.DEPARTMENT: 6.0,
    OrganizationType.OTHER: 4.0,
    OrganizationType.PEOPLES_COMMITTEE: 3.0,
    OrganizationType.ENTERPRISE: 3.0,
    OrganizationType.PARTY_COMMITTEE: 2.0,
    OrganizationType.ASSOCIATION: 2.0,
    OrganizationType.COMMUNE_COMMITTEE: 1.5,
}
STATE_ADMINISTRATION_TYPES = {
    OrganizationType.DEPARTMENT,
    OrganizationType.PEOPLES_COMMITTEE,
    OrganizationType.COMMUNE_COMMITTEE,
    OrganizationType.PARTY_COMMITTEE,
}
UNIT_HEAD_TITLES: dict[str, str] = {
    OrganizationType.HOSPITAL: "Giám đốc",
    OrganizationType.PUBLIC_UNIVERSITY: "Hiệu trưởng",
    OrganizationType.RESEARCH_INSTITUTE: "Viện trưởng",
    OrganizationType.COMMUNE_COMMITTEE: "Chủ tịch",
    OrganizationType.PEOPLES_COMMITTEE: "Chủ tịch",
    OrganizationType.PARTY_COMMITTEE: "Trưởng ban",
    OrganizationType.ASSOCIATION: "Chủ tịch",
}

# Highest degree aimed at, by profile: (degree group, weight). "DH" is the bachelor level.
DEGREE_TARGETS: dict[str, list[tuple[str, float]]] = {
    "lecturer": [("TSKH", 0.5), ("TS", 40), ("THS", 55), ("DH", 4.5)],
    "research": [("TSKH", 1), ("TS", 30), ("THS", 45), ("DH", 24)],
    "health": [("TS", 6), ("BSCKII", 8), ("THS", 14), ("BSCKI", 20), ("DH", 52)],
    "civil": [("TSKH", 0.1), ("TS", 4), ("THS", 36), ("DH", 60)],
}
# Chance of a GS or PGS title for a doctor (TS, TSKH), by profile.
TITLE_CHANCE: dict[str, tuple[float, float]] = {
    "lecturer": (0.05, 0.28),
    "research": (0.03, 0.18),
    "health": (0.04, 0.25),
    "civil": (0.005, 0.05),
}
# Professorship council (its code in professorship_councils.json) of each field.
COUNCIL_OF_FIELD = {
    "101": "22", "102": "04", "103": "26", "104": "09", "105": "12", "106": "18", "199": "26",
    "201": "27", "202": "06", "203": "03", "204": "09", "205": "15", "206": "28", "207": "12",
    "208": "18", "209": "18", "210": "26", "211": "09", "299": "03",
    "301": "28", "302": "28", "303": "05", "304": "28", "305": "28", "399": "28",
    "401": "17", "402": "01", "403": "01", "404": "17", "405": "01", "406": "18", "499": "17",
    "501": "20", "502": "13", "503": "07", "504": "23", "505": "14", "506": "23", "507": "13",
    "508": "23", "599": "23",
    "601": "19", "602": "25", "603": "23", "604": "24", "699": "24",
}  # fmt: skip
# Share of women by field group (first digit), with a few fields apart.
FEMALE_SHARE = {"1": 0.45, "2": 0.25, "3": 0.62, "4": 0.40, "5": 0.58, "6": 0.60}
FEMALE_SHARE_FIELD = {"503": 0.72, "602": 0.70, "305": 0.80, "102": 0.30, "201": 0.22}
ARTS_FIELDS = {"602", "604", "699"}
MEDICAL_FIELDS = {"301", "302", "399"}

INSTITUTIONS_BY_GROUP = {
    "1": ["Trường Đại học Khoa học Tự nhiên, ĐHQG Hà Nội", "Trường Đại học Sư phạm Hà Nội"],
    "2": ["Đại học Bách khoa Hà Nội", "Trường Đại học Xây dựng Hà Nội", "Trường Đại học Công nghệ, ĐHQG Hà Nội"],  # noqa: E501
    "3": ["Trường Đại học Y Hà Nội", "Trường Đại học Dược Hà Nội", "Học viện Quân y"],
    "4": ["Học viện Nông nghiệp Việt Nam", "Trường Đại học Lâm nghiệp"],
    "5": ["Trường Đại học Kinh tế Quốc dân", "Trường Đại học Luật Hà Nội", "Học viện Chính trị quốc gia Hồ Chí Minh", "Trường Đại học Sư phạm Hà Nội"],  # noqa: E501
    "6": ["Trường Đại học Khoa học Xã hội và Nhân văn, ĐHQG Hà Nội", "Trường Đại học Sân khấu - Điện ảnh Hà Nội", "Trường Đại học Mỹ thuật Việt Nam"],  # noqa: E501
}  # fmt: skip
ARCHITECTURE_SCHOOL = "Trường Đại học Kiến trúc Hà Nội"
FOREIGN_INSTITUTIONS = {
    "RU": "Đại học Tổng hợp Quốc gia Moskva",
    "DE": "Đại học Kỹ thuật Dresden",
    "CZ": "Đại học Kỹ thuật Praha",
    "BG": "Đại học Sofia",
    "PL": "Đại học Bách khoa Warszawa",
    "HU": "Đại học Budapest",
    "FR": "Đại học Paris-Saclay",
    "JP": "Đại học Tokyo",
    "AU": "Đại học Monash",
    "US": "Đại học Bang Michigan",
    "KR": "Đại học Quốc gia Seoul",
    "GB": "Đại học Manchester",
    "BE": "Đại học Liège",
    "NL": "Đại học Wageningen",
    "SG": "Đại học Quốc gia Singapore",
    "CA": "Đại học Toronto",
    "CN": "Đại học Thanh Hoa",
}
DOCTORATE_COUNTRIES_OLD = [
    ("RU", 50),
    ("DE", 10),
    ("CZ", 5),
    ("BG", 5),
    ("PL", 5),
    ("HU", 3),
    ("FR", 5),
    ("VN", 17),
]
DOCTORATE_COUNTRIES = [
    ("VN", 60),
    ("JP", 6),
    ("FR", 6),
    ("AU", 6),
    ("US", 4),
    ("DE", 4),
    ("KR", 4),
    ("GB", 4),
    ("RU", 3),
    ("BE", 3),
]
OVERSEAS_COUNTRIES = [
    ("US", 25),
    ("FR", 12),
    ("JP", 14),
    ("AU", 14),
    ("DE", 8),
    ("KR", 8),
    ("GB", 6),
    ("CA", 7),
    ("SG", 6),
]
COUNTRY_LANGUAGE = {"JP": "ja", "KR": "ko", "FR": "fr", "DE": "de", "RU": "ru", "CN": "zh"}
MEDICAL_SPECIALTIES = [
    "Nội khoa",
    "Ngoại khoa",
    "Nhi khoa",
    "Sản phụ khoa",
    "Tim mạch",
    "Ung thư",
    "Chẩn đoán hình ảnh",
    "Gây mê hồi sức",
    "Truyền nhiễm",
]

# Topics for titles of publications, projects and keywords, by field group.
TOPICS = {
    "1": ["mô hình thống kê cho dữ liệu đô thị", "thuật toán học máy", "vật liệu quang điện", "hợp chất thiên nhiên từ dược liệu", "chất lượng nước mặt", "đa dạng sinh học"],  # noqa: E501
    "2": ["kết cấu công trình cao tầng", "lưới điện thông minh", "giao thông đô thị", "xử lý nước thải", "vật liệu xây dựng mới", "tự động hóa sản xuất", "an toàn thực phẩm"],  # noqa: E501
    "3": ["bệnh tim mạch", "ung thư phổi", "kháng kháng sinh", "dinh dưỡng trẻ em", "y tế cơ sở", "dược liệu", "sức khỏe người cao tuổi"],  # noqa: E501
    "4": ["giống lúa chịu hạn", "chăn nuôi an toàn sinh học", "nông nghiệp đô thị", "rau an toàn", "bệnh truyền lây trên vật nuôi"],  # noqa: E501
    "5": ["kinh tế số", "chuyển đổi số trong cơ quan nhà nước", "cải cách hành chính", "giáo dục phổ thông", "phát triển đô thị bền vững", "pháp luật về đất đai", "truyền thông chính sách"],  # noqa: E501
    "6": ["di sản Thăng Long - Hà Nội", "văn học đô thị", "nghệ thuật truyền thống", "tiếng Việt trong trường học", "làng nghề truyền thống", "lễ hội dân gian"],  # noqa: E501
}  # fmt: skip
TOPICS_EN = {
    "1": ["Statistical models for urban data", "Machine learning methods", "Optoelectronic materials", "Natural compounds from medicinal plants", "Surface water quality"],  # noqa: E501
    "2": ["Structural behaviour of high-rise buildings", "Smart grid operation", "Urban traffic flow", "Wastewater treatment", "Food safety control"],  # noqa: E501
    "3": ["Cardiovascular risk factors", "Lung cancer outcomes", "Antimicrobial resistance", "Child nutrition", "Primary health care"],  # noqa: E501
    "4": ["Drought-tolerant rice varieties", "Biosecure livestock farming", "Urban agriculture", "Animal disease surveillance"],  # noqa: E501
    "5": ["Digital economy", "Administrative reform", "School education outcomes", "Sustainable urban development", "Land law enforcement"],  # noqa: E501
    "6": ["Cultural heritage of Hanoi", "Urban literature", "Traditional performing arts", "Craft villages"],  # noqa: E501
}  # fmt: skip
VENUES_VN = [
    "Tạp chí Khoa học và Công nghệ Việt Nam",
    "Tạp chí Y học Việt Nam",
    "Tạp chí Kinh tế và Phát triển",
    "Tạp chí Khoa học, Đại học Quốc gia Hà Nội",
    "Tạp chí Nghiên cứu Lập pháp",
    "Tạp chí Văn học",
    "Hội thảo khoa học quốc gia",
]
VENUES_INTL = [
    "Scientific Reports",
    "PLOS ONE",
    "Sustainability",
    "Journal of Asian Economics",
    "BMC Public Health",
    "Construction and Building Materials",
    "IEEE Access",
]
WORK_NOUNS = [
    "Phố",
    "Mùa thu",
    "Dòng sông",
    "Ngõ nhỏ",
    "Tháng Ba",
    "Hoa sữa",
    "Mưa",
    "Ánh trăng",
    "Bến đò",
    "Tiếng chuông",
]
WORK_WORDS = [
    "cũ",
    "xa",
    "trong sương",
    "của mẹ",
    "Hà Nội",
    "ngày ấy",
    "không tên",
    "bên hồ",
    "cuối phố",
]
STREETS = [
    "phố Huế",
    "phố Bà Triệu",
    "đường Láng",
    "đường Giải Phóng",
    "phố Kim Mã",
    "đường Nguyễn Trãi",
    "đường Phạm Văn Đồng",
    "phố Chùa Bộc",
    "phố Đội Cấn",
    "đường Trường Chinh",
    "đường Xuân Thủy",
    "đường Lê Văn Lương",
    "phố Tôn Đức Thắng",
    "đường Hoàng Quốc Việt",
]
RELIGIONS = [("", 85), ("Phật giáo", 8), ("Công giáo", 5), ("Tin lành", 1), ("Cao Đài", 1)]
PEN_NAME_WORDS = ["Hà", "Sơn", "Giang", "Thanh", "Phong", "Lam", "Vũ", "Nguyên"]
ASSOCIATIONS = {
    "1": "Hội Vật lý Hà Nội", "2": "Hội Cơ khí Hà Nội", "3": "Hội Y học Hà Nội",
    "4": "Hội Làm vườn Hà Nội", "5": "Hội Khoa học Kinh tế Hà Nội", "6": "Hội Văn nghệ dân gian Hà Nội",  # noqa: E501
    "102": "Hội Tin học Hà Nội", "201": "Hội Xây dựng Hà Nội", "505": "Hội Luật gia Hà Nội",
    "602": "Hội Nhà văn Hà Nội", "604": "Hội Mỹ thuật Hà Nội", "503": "Hội Khoa học Tâm lý - Giáo dục Hà Nội",  # noqa: E501
}  # fmt: skip
ASSOCIATION_ROLES = [
    ("Hội viên", 80),
    ("Ủy viên Ban Chấp hành", 15),
    ("Phó Chủ tịch Hội", 4),
    ("Chủ tịch Hội", 1),
]
AWARDS_GENERAL = [
    ("Bằng khen của Chủ tịch Ủy ban nhân dân Thành phố", choices.AwardLevel.PROVINCIAL, 60),
    ("Chiến sĩ thi đua cấp thành phố", choices.AwardLevel.PROVINCIAL, 20),
    ("Bằng khen của Bộ trưởng", choices.AwardLevel.MINISTERIAL, 12),
    ("Huân chương Lao động hạng Ba", choices.AwardLevel.STATE, 3),
    ("Giải thưởng Sáng tạo Khoa học Công nghệ Việt Nam", choices.AwardLevel.NATIONAL, 3),
    ("Giải thưởng quốc tế về nghiên cứu khoa học", choices.AwardLevel.INTERNATIONAL, 2),
]
AWARDS_HONOUR = {
    "3": ("Thầy thuốc ưu tú", choices.AwardLevel.STATE),
    "lecturer": ("Nhà giáo ưu tú", choices.AwardLevel.STATE),
    "6": ("Nghệ sĩ ưu tú", choices.AwardLevel.STATE),
}
TRAINING_NAMES: dict[str, list[str]] = {
    choices.TrainingCategory.STATE_MANAGEMENT: ["Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên", "Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên chính", "Bồi dưỡng lãnh đạo, quản lý cấp phòng"],  # noqa: E501
    choices.TrainingCategory.POLITICAL_THEORY: ["Bồi dưỡng lý luận chính trị cho đảng viên mới", "Bồi dưỡng cập nhật kiến thức cho cán bộ lãnh đạo"],  # noqa: E501
    choices.TrainingCategory.INTERNATIONAL_INTEGRATION: ["Kiến thức, kỹ năng hội nhập quốc tế", "Đàm phán và soạn thảo văn bản hợp tác quốc tế", "Kỹ năng làm việc trong môi trường quốc tế"],  # noqa: E501
    choices.TrainingCategory.FOREIGN_LANGUAGE: ["Tiếng Anh giao tiếp (B1)", "Tiếng Anh chuyên ngành", "Tiếng Pháp cơ bản", "Tiếng Nhật cơ bản"],  # noqa: E501
    choices.TrainingCategory.PROFESSIONAL_UPDATE: ["Cập nhật kiến thức chuyên môn", "Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp"],  # noqa: E501
    choices.TrainingCategory.DIGITAL_SKILLS: ["Chuyển đổi số trong cơ quan nhà nước", "Kỹ năng số cơ bản", "Ứng dụng trí tuệ nhân tạo trong công việc", "An toàn thông tin cho cán bộ, công chức"],  # noqa: E501
    choices.TrainingCategory.OTHER: ["Kỹ năng mềm", "Phương pháp nghiên cứu khoa học", "Nghiệp vụ văn thư, lưu trữ"],  # noqa: E501
}  # fmt: skip
TRAINING_PROVIDERS = [
    "Học viện Hành chính và Quản trị công",
    "Trường Đào tạo cán bộ Lê Hồng Phong",
    "Sở Nội vụ Hà Nội",
    "Sở Khoa học và Công nghệ Hà Nội",
    "Trường Đại học Thủ đô Hà Nội",
]
TRAINING_HOURS = [16, 24, 40, 80, 120, 240]
PATENT_WORDS = ["Thiết bị", "Phương pháp", "Quy trình", "Hệ thống"]


@dataclass
class _Org:
    """What the generator needs to know about an organisation."""

    pk: int
    type: str
    pool: str  # a FIELD_POOLS key
    profile: str  # lecturer, research, health, civil
    sector: str
    weight: float


class _Record(SimpleNamespace):
    """A sub-record before it is written: `model_` and the values by attribute name
    (`level_id`), with the related objects kept alongside (`level`) for derived.summary_of.
    Plain objects: building a model instance for each of two million rows costs more than
    writing them."""


@dataclass
class _Draft:
    """One person and their sub-records, before they are written."""

    person: Person
    records: list[Any] = field(default_factory=list)


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    total = sum(weight for _value, weight in pairs)
    point = rng.random() * total
    for value, weight in pairs:
        point -= weight
        if point < 0:
            return value
    return pairs[-1][0]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def default_organizations() -> list[Organization]:
    """Where demo people work: every active organisation except the top-level ones."""
    return list(Organization.objects.filter(is_active=True, parent__isnull=False).order_by("pk"))


def _org_plan(org: Organization) -> _Org:
    name = fold(org.name)
    pool = next((p for hint, p in NAME_HINTS if hint in name), None)
    pool = pool or TYPE_POOLS.get(org.type, "admin")
    if org.type == OrganizationType.PUBLIC_UNIVERSITY or name.startswith("truong"):
        profile = "lecturer"
    elif org.type == OrganizationType.HOSPITAL or (
        pool == "health" and org.type not in STATE_ADMINISTRATION_TYPES
    ):
        profile = "health"
    elif org.type in (OrganizationType.RESEARCH_INSTITUTE, OrganizationType.ASSOCIATION):
        profile = "research"
    else:
        profile = "civil"
    if org.type in STATE_ADMINISTRATION_TYPES:
        sector = choices.Sector.STATE_ADMINISTRATION
    elif org.type == OrganizationType.ASSOCIATION:
        sector = choices.Sector.ASSOCIATION
    elif org.type == OrganizationType.ENTERPRISE:
        sector = choices.Sector.STATE_ENTERPRISE
    else:
        sector = choices.Sector.PUBLIC_SERVICE
    return _Org(
        pk=org.pk,
        type=org.type,
        pool=pool,
        profile=profile,
        sector=sector,
        weight=TYPE_WEIGHTS.get(org.type, 2.0),
    )


class _Generator:
    """Draws people one at a time; all randomness from one seeded Random and one Faker."""

    def __init__(self, organizations: Sequence[Organization], seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        self.faker = Faker("vi_VN")
        self.faker.seed_instance(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.orgs = [_org_plan(org) for org in organizations]
        self.org_pairs = [(org, org.weight) for org in self.orgs]
        self.fields = {
            f.code: f
            for f in FieldOfScience.objects.filter(
                version=CURRENT_FIELD_VERSION, level=2, is_active=True
            )
        }
        self.levels = {level.code: level for level in DegreeLevel.objects.all()}
        self.councils = {c.code: c for c in ProfessorshipCouncil.objects.all()}
        ethnic = list(EthnicGroup.objects.order_by("code"))
        self.ethnic_pairs: list[tuple[Any, float]] = [
            (group, 92.0 if group.code == "01" else 8.0 / 20) for group in ethnic[:21]
        ]
        self.communes = list(
            AdministrativeUnit.objects.filter(
                level="commune", parent__code=HOME_UNIT_CODE, is_legacy=False
            )
            .order_by("code")
            .values_list("pk", flat=True)
        )
        self.pool_pairs = {
            pool: [(self.fields[code], w) for code, w in weights.items() if code in self.fields]
            for pool, weights in FIELD_POOLS.items()
        }
        self.provinces = sorted(PROVINCE_CODES - {HOME_PROVINCE})
        # Citizen ID hashes already taken, in the database and by this run.
        self.hashes = set(
            Person.objects.exclude(citizen_id_hash=None).values_list("citizen_id_hash", flat=True)
        )
        # One head and at most three deputies per organisation, counting those already there.
        self.heads = set(
            Position.objects.filter(leadership=choices.LeadershipLevel.HEAD_UNIT, end=None)
            .values_list("organization_id", flat=True)
            .distinct()
        )
        self.deputies: dict[int, int] = {}
        self.names: dict[str, tuple[str, str, str]] = {}
        self.record_defaults: dict[type[PersonRecord], dict[str, Any]] = {}
        self.age_pairs = [(age, self._age_weight(age)) for age in range(MIN_AGE, MAX_AGE + 1)]
        self.provenance = {
            "source": choices.Source.IMPORT,
            "source_detail": SOURCE_DETAIL,
            "recorded_at": self.now,
        }

    @staticmethod
    def _age_weight(age: int) -> float:
        if age < 30:
            return 2.0
        if age < 50:
            return 3.1
        if age < 57:
            return 2.5
        if age < 62:
            return 2.0
        if age < 68:
            return 0.8
        return 0.4

    # -- helpers ---------------------------------------------------------------------------

    def _date_in(self, year: int, *, after: date | None = None) -> date:
        """A day in `year`, not after today and not before `after`."""
        start = date(year, 1, 1)
        if after and after > start:
            start = after
        end = min(date(year, 12, 28), self.today)
        if end <= start:
            return min(start, self.today)
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def _name(self, female: bool) -> tuple[str, str, str]:
        raw = vietnamese_full_name(self.faker, female=female)
        cached = self.names.get(raw)
        if cached is None:
            full = " ".join(nfc(raw).split())
            cached = (full, fold(full), vietnamese_name_collation_key(full))
            self.names[raw] = cached
        return cached

    def _citizen_id(self, gender: str, birth_year: int) -> str:
        rng = self.rng
        province = HOME_PROVINCE if rng.random() < 0.75 else rng.choice(self.provinces)
        marker = 2 * ((birth_year - 1900) // 100) + (1 if gender == choices.Gender.FEMALE else 0)
        prefix = f"{province}{marker}{birth_year % 100:02d}"
        while True:
            number = f"{prefix}{rng.randrange(1_000_000):06d}"
            digest = keyed_hash(number)
            if digest not in self.hashes:
                self.hashes.add(digest)
                return number

    def _record(self, model: type[PersonRecord], **values: Any) -> Any:
        """A `_Record` with the model's defaults for what `values` leaves out."""
        defaults = self.record_defaults.get(model)
        if defaults is None:
            skip = {"id", "person_id", "created_at", "updated_at", *self.provenance}
            defaults = {
                f.attname: f.get_default()
                for f in model._meta.concrete_fields
                if f.attname not in skip
            }
            self.record_defaults[model] = defaults
        for name, value in list(values.items()):
            if isinstance(value, models.Model):
                values[f"{name}_id"] = value.pk
        return _Record(model_=model, **{**defaults, **values})

    # -- one person ------------------------------------------------------------------------

    def person(self) -> _Draft:
        rng, today = self.rng, self.today
        org: _Org = _weighted(rng, self.org_pairs)
        main_field = _weighted(rng, self.pool_pairs[org.pool])
        code = main_field.code
        female_share = FEMALE_SHARE_FIELD.get(code, FEMALE_SHARE.get(code[0], 0.5))
        gender = choices.Gender.FEMALE if rng.random() < female_share else choices.Gender.MALE
        full_name, folded, sort_key = self._name(gender == choices.Gender.FEMALE)

        age = _weighted(rng, self.age_pairs)
        latest, earliest = _years_before(today, age), _years_before(today, age + 1)
        birth = earliest + timedelta(days=1 + rng.randrange((latest - earliest).days))
        precision = choices.BirthDatePrecision.DAY
        if age < MAX_AGE and rng.random() < 0.04:
            precision = choices.BirthDatePrecision.YEAR
            birth = date(birth.year, 1, 1)
        by = birth.year
        retires = derived.retirement_date(gender, birth)
        assert retires is not None

        degrees, titles = self._degrees(org, main_field, by)
        top = max(degrees, key=lambda d: d.level.rank)
        extendable = org.sector == choices.Sector.PUBLIC_SERVICE and (
            bool(titles) or top.level.group in ("TSKH", "TS", "BSCKII")
        )

        # Status follows the age: past the retirement date most people have retired; a few
        # doctors and professors work on (Decree 50/2022 extension, up to 5 years).
        if retires < today:
            past_extension = _years_before(today, 5) > retires
            if extendable and not past_extension and rng.random() < 0.4:
                status = choices.PersonStatus.WORKING
            else:
                status = _weighted(
                    rng,
                    [
                        (choices.PersonStatus.RETIRED, 94),
                        (choices.PersonStatus.DECEASED, 4),
                        (choices.PersonStatus.ABROAD, 2),
                    ],
                )
        else:
            status = _weighted(
                rng,
                [
                    (choices.PersonStatus.WORKING, 95.6),
                    (choices.PersonStatus.ABROAD, 3.5),
                    (choices.PersonStatus.RETIRED, 0.5),
                    (choices.PersonStatus.DECEASED, 0.4),
                ],
            )
        country = "VN"
        if status == choices.PersonStatus.ABROAD:
            country = _weighted(rng, OVERSEAS_COUNTRIES)

        positions, political_theory = self._positions(
            org, main_field, degrees, titles, by, age, status, retires, country
        )
        expertise = self._expertise(main_field)
        summary = derived.summary_of(
            degrees=degrees, titles=titles, positions=positions, expertise=expertise, on=today
        )
        if status == choices.PersonStatus.WORKING:
            sector = org.sector
        elif status == choices.PersonStatus.ABROAD:
            sector = choices.Sector.OVERSEAS
        elif status == choices.PersonStatus.RETIRED or retires < today:
            sector = choices.Sector.INDEPENDENT
        else:
            sector = org.sector

        other_names = ""
        if code in ARTS_FIELDS and rng.random() < 0.3:
            other_names = f"{full_name.split()[-1]} {rng.choice(PEN_NAME_WORDS)}"
        topics = TOPICS[code[0]]
        person = Person(
            full_name=full_name,
            folded_name=folded,
            sort_key=sort_key,
            other_names=other_names,
            birth_date=birth,
            birth_date_precision=precision,
            gender=gender,
            ethnicity=_weighted(rng, self.ethnic_pairs) if self.ethnic_pairs else None,
            religion=_weighted(rng, RELIGIONS),
            nationality="VN",
            residence_unit_id=(
                rng.choice(self.communes) if self.communes and country == "VN" else None
            ),
            residence_country=country,
            address=(
                f"Số {rng.randint(1, 200)} {rng.choice(STREETS)}"
                if country == "VN" and rng.random() < 0.7
                else ""
            ),
            email=(
                f"{'.'.join(folded.split())}{rng.randint(1, 999)}@example.invalid"
                if rng.random() < 0.6
                else ""
            ),
            status=status,
            sector=sector,
            political_theory=political_theory,
            keywords=", ".join(rng.sample(topics, rng.randint(1, 2))) if rng.random() < 0.5 else "",
            organization_id=summary.get("organization_id", org.pk),
            highest_degree=summary["highest_degree"],
            degree_group=summary["degree_group"],
            title=summary["title"],
            primary_field=summary["primary_field"],
            is_leader=summary["is_leader"],
            retirement_date=retires,
            source_organization_id=org.pk,
            verification=(
                choices.Verification.VERIFIED
                if rng.random() < 0.3
                else choices.Verification.UNVERIFIED
            ),
            **self.provenance,
        )
        if person.verification == choices.Verification.VERIFIED:
            person.verified_at = self.now
        if status != choices.PersonStatus.ABROAD or rng.random() < 0.8:
            set_citizen_id(person, self._citizen_id(gender, by))

        draft = _Draft(person, [*degrees, *titles, *positions, *expertise])
        draft.records += self._languages(by, country, degrees)
        draft.records += self._trainings(org, by, political_theory, code)
        self._achievements(draft, org, main_field, degrees, titles, by, age, status)
        return draft

    def _degrees(
        self, org: _Org, main_field: FieldOfScience, by: int
    ) -> tuple[list[_Record], list[_Record]]:
        rng, this_year = self.rng, self.today.year
        code = main_field.code
        target = _weighted(rng, DEGREE_TARGETS[org.profile])
        if target in ("BSCKI", "BSCKII") and code not in MEDICAL_FIELDS:
            target = "THS"
        if target == "TSKH" and by > 1968:  # a Soviet-era doctorate: older people only
            target = "TS"
        if code in MEDICAL_FIELDS:
            first_code, first_year = "BS", by + rng.randint(24, 25)
        elif code == "303":
            first_code, first_year = "DS", by + rng.randint(23, 24)
        elif code[0] in "24" and code != "201":
            first_code, first_year = "KS", by + rng.randint(22, 23)
        elif code == "201":
            first_code = "KTS" if org.pool == "construction" and rng.random() < 0.35 else "KS"
            first_year = by + rng.randint(22, 23)
        else:
            first_code, first_year = "CN", by + rng.randint(21, 23)
        first_year = min(first_year, this_year)

        chain = [(first_code, first_year)]
        year = first_year
        if target in ("BSCKI", "BSCKII"):
            year += rng.randint(3, 8)
            chain.append(("BSCKI", year))
            if target == "BSCKII":
                year += rng.randint(4, 9)
                chain.append(("BSCKII", year))
        elif target != "DH":
            year += rng.randint(2, 8)
            chain.append(("THS", year))
            if target in ("TS", "TSKH"):
                year += rng.randint(3, 10)
                chain.append(("TS", year))
            if target == "TSKH":
                year += rng.randint(5, 12)
                chain.append(("TSKH", year))
        # Degrees a young person could not have finished yet are dropped.
        chain = [(c, y) for c, y in chain if y <= this_year] or [(first_code, first_year)]

        degrees = []
        old = by <= 1968
        for level_code, year in chain:
            group = self.levels[level_code].group
            country = "VN"
            if group in ("TS", "TSKH"):
                country = _weighted(rng, DOCTORATE_COUNTRIES_OLD if old else DOCTORATE_COUNTRIES)
            elif group == "THS" and rng.random() < 0.15:
                country = _weighted(rng, DOCTORATE_COUNTRIES[1:])
            if country != "VN":
                institution = FOREIGN_INSTITUTIONS[country]
            elif level_code == "KTS":
                institution = ARCHITECTURE_SCHOOL
            else:
                institution = rng.choice(INSTITUTIONS_BY_GROUP[code[0]])
            if group in ("BSCKI", "BSCKII") or (group in ("THS", "TS") and code in MEDICAL_FIELDS):
                major = rng.choice(MEDICAL_SPECIALTIES)
            elif level_code == "BS":
                major = "Y đa khoa"
            else:
                major = main_field.name
            degrees.append(
                self._record(
                    Degree,
                    level=self.levels[level_code],
                    field=main_field,
                    major=major,
                    institution=institution,
                    country=country,
                    year=year,
                )
            )

        titles: list[_Record] = []
        doctorate = next((y for c, y in chain if c == "TS"), None)
        if doctorate is not None:
            gs_chance, pgs_chance = TITLE_CHANCE[org.profile]
            draw = rng.random()
            if draw < gs_chance + pgs_chance:
                pgs_year = max(doctorate + rng.randint(3, 10), by + 35)
                gs_year = pgs_year + rng.randint(4, 10)
                council = self.councils.get(COUNCIL_OF_FIELD.get(code, ""))
                kinds = [("PGS", pgs_year)]
                if draw < gs_chance:
                    kinds.append(("GS", gs_year))
                for kind, year in kinds:
                    if year > this_year:
                        continue
                    appointment = _weighted(
                        rng,
                        [
                            (choices.AppointmentStatus.APPOINTED, 85),
                            (choices.AppointmentStatus.RECOGNISED, 10),
                            (choices.AppointmentStatus.NOT_APPOINTED, 5),
                        ],
                    )
                    title = self._record(
                        AcademicTitle,
                        kind=kind,
                        year=year,
                        council=council,
                        appointment=appointment,
                    )
                    if rng.random() < 0.002 and year < this_year:
                        title.revoked, title.revoked_year = True, year + 1
                    titles.append(title)
        return degrees, titles

    def _positions(
        self,
        org: _Org,
        main_field: FieldOfScience,
        degrees: list[_Record],
        titles: list[_Record],
        by: int,
        age: int,
        status: str,
        retires: date,
        country: str,
    ) -> tuple[list[_Record], str]:
        """The career: maybe an earlier post, then the post at `org` (ended for the retired,
        the deceased and those who went abroad), or a post abroad."""
        rng, today = self.rng, self.today
        first = min(d.year for d in degrees)
        first_job = self._date_in(min(first + rng.randint(0, 2), today.year))
        leadership = ""
        if status == choices.PersonStatus.WORKING or rng.random() < 0.5:
            leadership = self._leadership(org, age, status)
        rank, job_title = self._rank(org, main_field, degrees, titles, age, leadership)
        political_theory = ""
        if org.sector == choices.Sector.STATE_ADMINISTRATION or leadership:
            if leadership in (
                choices.LeadershipLevel.HEAD_UNIT,
                choices.LeadershipLevel.DEPUTY_UNIT,
            ):
                political_theory = choices.PoliticalTheory.ADVANCED
            else:
                political_theory = _weighted(
                    rng,
                    [
                        ("", 35),
                        (choices.PoliticalTheory.ELEMENTARY, 25),
                        (choices.PoliticalTheory.INTERMEDIATE, 30),
                        (choices.PoliticalTheory.ADVANCED, 10),
                    ],
                )

        positions: list[_Record] = []
        start = first_job
        if rng.random() < 0.4 and first_job.year + 2 <= today.year:
            move = self._date_in(
                rng.randint(first_job.year + 2, min(first_job.year + 15, today.year)),
                after=first_job + timedelta(days=1),
            )
            previous = rng.choice(self.orgs)
            earlier: dict[str, Any] = {"organization_id": previous.pk}
            if previous.pk == org.pk or rng.random() < 0.4:
                earlier = {"organization_id": None, "employer_name": self._outside_employer()}
            positions.append(
                self._record(
                    Position,
                    job_title=self._plain_title(org.profile, main_field),
                    start=first_job,
                    end=move - timedelta(days=1),
                    is_primary=True,
                    **earlier,
                )
            )
            start = move

        end: date | None = None
        if status == choices.PersonStatus.RETIRED:
            end = retires if retires < today else self._between(start, today)
        elif status == choices.PersonStatus.DECEASED:
            end = self._between(start, min(today, retires))
        elif status == choices.PersonStatus.ABROAD:
            end = self._between(start, today) if rng.random() < 0.5 else None
        if status == choices.PersonStatus.ABROAD and end is None:
            # Went abroad straight away: the only post is with a foreign employer.
            positions.append(
                self._record(
                    Position,
                    organization_id=None,
                    employer_name=FOREIGN_INSTITUTIONS.get(country, "Đại học nước ngoài"),
                    job_title="Nghiên cứu viên",
                    start=start,
                    is_primary=True,
                )
            )
            return positions, ""
        positions.append(
            self._record(
                Position,
                organization_id=org.pk,
                job_title=job_title,
                leadership=leadership,
                rank=rank,
                start=start,
                end=end,
                is_primary=True,
            )
        )
        if status == choices.PersonStatus.ABROAD and end is not None:
            assert end < today or end == today
            positions.append(
                self._record(
                    Position,
                    organization_id=None,
                    employer_name=FOREIGN_INSTITUTIONS.get(country, "Đại học nước ngoài"),
                    job_title="Nghiên cứu viên",
                    start=min(end + timedelta(days=1), today),
                    is_primary=True,
                )
            )
        return positions, political_theory

    def _between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def _outside_employer(self) -> str:
        return self.rng.choice(
            [
                "Công ty Cổ phần Tư vấn Xây dựng Thăng Long",
                "Trường Trung học phổ thông Chu Văn An",
                "Công ty TNHH Phần mềm Sông Hồng",
                "Ngân hàng Thương mại Cổ phần Hà Thành",
                "Trung tâm Y tế huyện Đông Anh",
                "Viện Khoa học Việt Nam",
            ]
        )

    def _leadership(self, org: _Org, age: int, status: str) -> str:
        rng = self.rng
        if rng.random() >= (0.14 if age >= 35 else 0.02):
            return ""
        level = _weighted(
            rng,
            [
                (choices.LeadershipLevel.DEPUTY_DIVISION, 50),
                (choices.LeadershipLevel.HEAD_DIVISION, 30),
                (choices.LeadershipLevel.DEPUTY_UNIT, 14),
                (choices.LeadershipLevel.HEAD_UNIT, 6),
            ],
        )
        current = status == choices.PersonStatus.WORKING
        if level == choices.LeadershipLevel.HEAD_UNIT:
            if not current or org.pk in self.heads:
                level = choices.LeadershipLevel.HEAD_DIVISION
            else:
                self.heads.add(org.pk)
        if level == choices.LeadershipLevel.DEPUTY_UNIT and current:
            if self.deputies.get(org.pk, 0) >= 3:
                level = choices.LeadershipLevel.HEAD_DIVISION
            else:
                self.deputies[org.pk] = self.deputies.get(org.pk, 0) + 1
        return level

    def _plain_title(self, profile: str, main_field: FieldOfScience) -> str:
        if profile == "lecturer":
            return "Giảng viên"
        if profile == "research":
            return "Nghiên cứu viên"
        if profile == "health":
            return {"303": "Dược sĩ", "305": "Điều dưỡng", "206": "Kỹ thuật viên"}.get(
                main_field.code, "Bác sĩ" if main_field.code in MEDICAL_FIELDS else "Kỹ thuật viên"
            )
        return "Chuyên viên"

    def _rank(
        self,
        org: _Org,
        main_field: FieldOfScience,
        degrees: list[_Record],
        titles: list[_Record],
        age: int,
        leadership: str,
    ) -> tuple[str, str]:
        """Civil-service rank or professional grade, and the job title that goes with it."""
        rng = self.rng
        top = max(d.level.rank for d in degrees)
        senior = leadership in (
            choices.LeadershipLevel.HEAD_UNIT,
            choices.LeadershipLevel.DEPUTY_UNIT,
        )
        plain = self._plain_title(org.profile, main_field)
        rank: str
        if org.sector == choices.Sector.STATE_ADMINISTRATION:
            if senior:
                rank = (
                    choices.CivilServiceRank.SENIOR_SPECIALIST
                    if rng.random() < 0.4
                    else choices.CivilServiceRank.PRINCIPAL_SPECIALIST
                )
            elif age >= 35 and rng.random() < 0.3:
                rank = choices.CivilServiceRank.PRINCIPAL_SPECIALIST
            elif rng.random() < 0.1:
                rank = choices.CivilServiceRank.OFFICER
            else:
                rank = choices.CivilServiceRank.SPECIALIST
            suffix = {
                choices.CivilServiceRank.SENIOR_SPECIALIST: "Chuyên viên cao cấp",
                choices.CivilServiceRank.PRINCIPAL_SPECIALIST: "Chuyên viên chính",
                choices.CivilServiceRank.OFFICER: "Cán sự",
            }.get(rank, "Chuyên viên")
            plain = suffix
        elif org.sector == choices.Sector.PUBLIC_SERVICE:
            if titles or (top >= 80 and age >= 45 and rng.random() < 0.4):
                rank = choices.CivilServiceRank.GRADE_I
            elif age >= 35 and (top >= 70 or rng.random() < 0.3):
                rank = choices.CivilServiceRank.GRADE_II
            elif age < 30 and top <= 60 and rng.random() < 0.2:
                rank = choices.CivilServiceRank.GRADE_IV
            else:
                rank = choices.CivilServiceRank.GRADE_III
            if rank == choices.CivilServiceRank.GRADE_I:
                plain += " cao cấp"
            elif rank == choices.CivilServiceRank.GRADE_II:
                plain += " chính"
        else:
            rank = ""
        if not leadership:
            return rank, plain
        if leadership in (
            choices.LeadershipLevel.HEAD_DIVISION,
            choices.LeadershipLevel.DEPUTY_DIVISION,
        ):
            head = "Trưởng khoa" if org.profile in ("lecturer", "health") else "Trưởng phòng"
        else:
            head = UNIT_HEAD_TITLES.get(org.type, "Giám đốc")
        if leadership in (
            choices.LeadershipLevel.DEPUTY_DIVISION,
            choices.LeadershipLevel.DEPUTY_UNIT,
        ):
            head = f"Phó {head[0].lower()}{head[1:]}"
        return rank, head

    def _expertise(self, main_field: FieldOfScience) -> list[_Record]:
        rng = self.rng
        if rng.random() < 0.05:  # no expertise declared: the degree's field stands in
            return []
        chosen = [main_field]
        extra = _weighted(rng, [(0, 50), (1, 35), (2, 15)])
        same_group = [f for c, f in self.fields.items() if c[0] == main_field.code[0]]
        for _i in range(extra):
            candidate = rng.choice(same_group if rng.random() < 0.7 else list(self.fields.values()))
            if candidate not in chosen:
                chosen.append(candidate)
        return [self._record(Expertise, field=f, is_primary=(i == 0)) for i, f in enumerate(chosen)]

    def _languages(self, by: int, country: str, degrees: list[_Record]) -> list[_Record]:
        rng = self.rng
        skills: dict[str, str] = {}
        abroad_degree = any(d.country != "VN" for d in degrees)
        if rng.random() < 0.78 or country in ("US", "GB", "AU", "CA", "SG"):
            level = _weighted(rng, [("A2", 15), ("B1", 35), ("B2", 30), ("C1", 15), ("C2", 5)])
            if abroad_degree or country != "VN":
                level = rng.choice(["C1", "C2"])
            skills[choices.Language.ENGLISH] = level
        if by < 1975 and rng.random() < 0.35:
            skills[choices.Language.RUSSIAN] = rng.choice(["B1", "B2", "C1"])
        for language, chance in (("fr", 0.06), ("zh", 0.05), ("ja", 0.04), ("ko", 0.03)):
            if rng.random() < chance:
                skills.setdefault(language, rng.choice(["A2", "B1", "B2"]))
        for degree in degrees:
            native = COUNTRY_LANGUAGE.get(degree.country)
            if native:
                skills[native] = rng.choice(["B2", "C1"])
        if country in COUNTRY_LANGUAGE:
            skills[COUNTRY_LANGUAGE[country]] = rng.choice(["C1", "C2"])
        return [self._record(LanguageSkill, language=lang, level=lv) for lang, lv in skills.items()]

    def _training_year(self, by: int) -> int | None:
        this_year = self.today.year
        lowest = max(by + 22, 1995)
        if lowest > this_year:
            return None
        return max(lowest, this_year - int(self.rng.expovariate(1 / 5)))

    def _trainings(self, org: _Org, by: int, political_theory: str, code: str) -> list[_Record]:
        rng = self.rng
        trainings = []
        categories: list[str] = []
        civil = org.sector == choices.Sector.STATE_ADMINISTRATION
        if civil and rng.random() < 0.6:
            categories.append(choices.TrainingCategory.STATE_MANAGEMENT)
        if political_theory in (
            choices.PoliticalTheory.INTERMEDIATE,
            choices.PoliticalTheory.ADVANCED,
        ):
            categories.append(choices.TrainingCategory.POLITICAL_THEORY)
        extra = _weighted(rng, [(0, 30), (1, 35), (2, 25), (3, 10)])
        others = [
            (choices.TrainingCategory.PROFESSIONAL_UPDATE, 35),
            (choices.TrainingCategory.DIGITAL_SKILLS, 25 if civil else 12),
            (choices.TrainingCategory.FOREIGN_LANGUAGE, 15),
            (choices.TrainingCategory.INTERNATIONAL_INTEGRATION, 12),
            (choices.TrainingCategory.OTHER, 8),
        ]
        categories += [_weighted(rng, others) for _i in range(extra)]
        for category in categories:
            year = self._training_year(by)
            if year is None:
                break
            if category == choices.TrainingCategory.POLITICAL_THEORY:
                name = (
                    "Cao cấp lý luận chính trị"
                    if political_theory == choices.PoliticalTheory.ADVANCED
                    else "Trung cấp lý luận chính trị"
                )
                hours = 1_200 if political_theory == choices.PoliticalTheory.ADVANCED else 600
                provider = "Trường Đào tạo cán bộ Lê Hồng Phong"
            else:
                name = rng.choice(TRAINING_NAMES[category])
                hours = rng.choice(TRAINING_HOURS)
                provider = rng.choice(TRAINING_PROVIDERS)
            country = "VN"
            if (
                category == choices.TrainingCategory.INTERNATIONAL_INTEGRATION
                and rng.random() < 0.3
            ):
                country, provider = "SG", FOREIGN_INSTITUTIONS["SG"]
            if category == choices.TrainingCategory.PROFESSIONAL_UPDATE:
                name = f"{name}: {rng.choice(TOPICS[code[0]])}"
            trainings.append(
                self._record(
                    Training,
                    category=category,
                    name=name,
                    provider=provider,
                    country=country,
                    year=year,
                    hours=hours,
                )
            )
        return trainings

    def _achievements(
        self,
        draft: _Draft,
        org: _Org,
        main_field: FieldOfScience,
        degrees: list[_Record],
        titles: list[_Record],
        by: int,
        age: int,
        status: str,
    ) -> None:
        """Publications, projects, patents, awards, works, memberships, consents."""
        rng, this_year, records = self.rng, self.today.year, draft.records
        code, group = main_field.code, main_field.code[0]
        top = max(d.level.rank for d in degrees)
        doctor = top >= 80
        academic = org.profile in ("lecturer", "research")
        career_start = min(by + 24, this_year)

        if doctor:
            count = rng.randint(2, 8) if academic or titles else rng.randint(0, 4)
        elif top >= 70:
            count = rng.randint(0, 2) if academic or rng.random() < 0.3 else 0
        else:
            count = 1 if rng.random() < 0.05 else 0
        for _i in range(count):
            year = rng.randint(career_start, this_year)
            wos = doctor and rng.random() < 0.3
            scopus = wos or (doctor and rng.random() < 0.2) or rng.random() < 0.05
            if wos or scopus:
                title = f"{rng.choice(TOPICS_EN[group])}: a case study of Hanoi"
                venue = rng.choice(VENUES_INTL)
            else:
                title = f"Nghiên cứu {rng.choice(TOPICS[group])} ở Hà Nội"
                venue = rng.choice(VENUES_VN)
            doi = ""
            if rng.random() < (0.8 if wos or scopus else 0.25):
                doi = f"10.5555/tt.{year}.{rng.randrange(100_000):05d}"
            records.append(
                self._record(
                    Publication,
                    title=title,
                    year=year,
                    venue=venue,
                    doi=doi,
                    indexed_wos=wos,
                    indexed_scopus=scopus,
                )
            )

        projects = 0
        if doctor and (academic or titles):
            projects = rng.randint(1, 3) if rng.random() < 0.5 else 0
        elif doctor or (top >= 70 and rng.random() < 0.05):
            projects = 1 if rng.random() < 0.25 else 0
        for _i in range(projects):
            start = rng.randint(career_start, this_year)
            end: int | None = start + rng.randint(1, 3)
            state = choices.ProjectStatus.ACCEPTED
            if end is not None and end >= this_year:
                state, end = choices.ProjectStatus.ONGOING, None
            elif rng.random() < 0.03:
                state = choices.ProjectStatus.STOPPED
            records.append(
                self._record(
                    ResearchProject,
                    title=f"Nghiên cứu {rng.choice(TOPICS[group])} trên địa bàn Thành phố",
                    level=_weighted(
                        rng,
                        [
                            (choices.ProjectLevel.INSTITUTIONAL, 45),
                            (choices.ProjectLevel.PROVINCIAL, 25),
                            (choices.ProjectLevel.MINISTERIAL, 15),
                            (choices.ProjectLevel.NATIONAL, 12),
                            (choices.ProjectLevel.INTERNATIONAL, 3),
                        ],
                    ),
                    role=_weighted(
                        rng,
                        [
                            (choices.ProjectRole.LEAD, 35),
                            (choices.ProjectRole.SECRETARY, 15),
                            (choices.ProjectRole.MEMBER, 50),
                        ],
                    ),
                    status=state,
                    start_year=start,
                    end_year=end,
                )
            )

        if group == "2" and doctor and rng.random() < 0.08:
            kind = rng.choice(choices.PatentKind.values)
            prefix = "1" if kind == choices.PatentKind.PATENT else "2"
            records.append(
                self._record(
                    Patent,
                    kind=kind,
                    title=f"{rng.choice(PATENT_WORDS)} {rng.choice(TOPICS[group])}",
                    number=f"{prefix}-00{rng.randrange(10_000, 40_000)}",
                    year=rng.randint(career_start, this_year),
                )
            )

        if age >= 30 and rng.random() < 0.15:
            name, level, _weight = _weighted(rng, [(a, a[2]) for a in AWARDS_GENERAL])
            records.append(
                self._record(Award, name=name, level=level, year=rng.randint(by + 25, this_year))
            )
        honour = AWARDS_HONOUR.get(group) or AWARDS_HONOUR.get(org.profile)
        if honour and age >= 45 and (doctor or titles) and rng.random() < 0.15:
            records.append(
                self._record(
                    Award,
                    name=honour[0],
                    level=honour[1],
                    year=rng.randint(by + 40, this_year),
                )
            )

        if code in ARTS_FIELDS and rng.random() < 0.7:
            for _i in range(rng.randint(1, 5)):
                if code == "602":
                    kind = choices.WorkKind.LITERATURE
                else:
                    kind = rng.choice(
                        [
                            choices.WorkKind.MUSIC,
                            choices.WorkKind.FINE_ARTS,
                            choices.WorkKind.STAGE,
                            choices.WorkKind.FILM,
                            choices.WorkKind.PHOTOGRAPHY,
                            choices.WorkKind.OTHER,
                        ]
                    )
                records.append(
                    self._record(
                        Work,
                        kind=kind,
                        title=f"{rng.choice(WORK_NOUNS)} {rng.choice(WORK_WORDS)}",
                        year=rng.randint(by + 18, this_year),
                    )
                )
        elif any(d.level.code == "KTS" for d in degrees) and rng.random() < 0.3:
            records.append(
                self._record(
                    Work,
                    kind=choices.WorkKind.ARCHITECTURE,
                    title=f"Thiết kế công trình {rng.choice(WORK_WORDS)}",
                    year=rng.randint(by + 24, this_year) if by + 24 <= this_year else this_year,
                )
            )

        if rng.random() < (0.5 if code in ARTS_FIELDS else 0.2):
            association = ASSOCIATIONS.get(code) or ASSOCIATIONS[group]
            role = _weighted(rng, ASSOCIATION_ROLES)
            start_year = rng.randint(career_start, this_year) if rng.random() < 0.8 else None
            records.append(
                self._record(
                    AssociationMembership,
                    association=association,
                    role=role,
                    start_year=start_year,
                )
            )

        if status != choices.PersonStatus.DECEASED and rng.random() < 0.2:
            purposes = rng.sample(choices.ConsentPurpose.values, rng.randint(1, 2))
            optional = [p for p in choices.ProfilePart.values if p != choices.ProfilePart.BASIC]
            for purpose in purposes:
                parts = [choices.ProfilePart.BASIC.value, *rng.sample(optional, rng.randint(0, 3))]
                given = self.today - timedelta(days=rng.randrange(1, 730))
                withdrawn = None
                if rng.random() < 0.05:
                    withdrawn = given + timedelta(days=rng.randrange(0, (self.today - given).days))
                records.append(
                    self._record(
                        Consent,
                        purpose=purpose,
                        parts=parts,
                        given_on=given,
                        withdrawn_on=withdrawn,
                        evidence=f"Phiếu đồng ý số {rng.randrange(1, 10_000)}/PĐY",
                    )
                )


def seed_people(
    count: int,
    *,
    organizations: Iterable[Organization] | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    history: bool = True,
) -> int:
    """Add `count` synthetic people with their sub-records; return how many were added.

    `organizations` defaults to every active organisation below the top level. Each batch is
    one transaction; with `history`, every person gets a "created" version (the history page
    is not empty). The same seed on the same database gives the same people.
    """
    orgs = list(organizations) if organizations is not None else default_organizations()
    if not orgs:
        raise NoOrganizationsError(
            _(
                "Chưa có cơ quan, đơn vị nào để gắn trí thức vào. Hãy tạo cây tổ chức trước "
                "(python manage.py seed_demo)."
            )
        )
    generator = _Generator(orgs, seed)
    # Sub-records get the provenance of their person.
    writer = _Writer(constants={**generator.provenance, "created_at": generator.now})
    added = 0
    while added < count:
        size = min(batch_size, count - added)
        drafts = [generator.person() for _i in range(size)]
        writer.write(drafts, history=history, batch_size=batch_size)
        added += size
        if progress is not None:
            progress(added, count)
    return added


class _Writer:
    """Writes batches of drafts: people with bulk_create (their keys are needed), their first
    version in the history, then their sub-records, through one `_Table` per model."""

    def __init__(self, *, constants: dict[str, Any]) -> None:
        self.constants = constants
        self.tables: dict[type[models.Model], _Table] = {}
        self.history = _Table(
            Person.history.model,
            constants={
                "history_date": constants["created_at"],
                "history_change_reason": SOURCE_DETAIL,
                "history_type": "+",
            },
        )

    def write(self, drafts: list[_Draft], *, history: bool, batch_size: int) -> None:
        people = [d.person for d in drafts]
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=batch_size)
            if history:
                # What simple_history's bulk_create_with_history writes ("+", the person's
                # values), without building a model instance per row: that doubled the time.
                self.history.insert(people)
            by_model: dict[type[models.Model], list[_Record]] = {}
            for draft in drafts:
                pk = draft.person.pk
                for record in draft.records:
                    record.person_id = pk
                    by_model.setdefault(record.model_, []).append(record)
            for model, records in by_model.items():
                if model not in self.tables:
                    self.tables[model] = _Table(model, constants=self.constants)
                self.tables[model].insert(records)


# Field types whose Python values the database drivers take as they are.
_PLAIN_TYPES = frozenset(
    [
        "CharField",
        "BooleanField",
        "IntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "ForeignKey",
        "OneToOneField",
    ]
)


class _Table:
    """INSERT of one model's rows from `_Record`s (or model instances, read by attname).

    Django's bulk_create prepares every value through the field (about 1 µs each): for two
    million sub-records that alone exceeds the time budget. Here values of plain types pass
    as they are, dates and JSON go through the field, and the columns a record does not set
    (provenance, timestamps, defaults) are prepared once. SQLite runs the INSERT through
    executemany (a loop in C); PostgreSQL gets the rows through COPY, ten times faster than
    its executemany or statements of many rows.
    """

    def __init__(self, model: type[models.Model], *, constants: dict[str, Any]) -> None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column or f.attname) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.plan: list[tuple[str, Any, Any]] = []
        for f in fields:
            if f.attname in constants:
                default = constants[f.attname]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = constants["created_at"]
            else:
                default = f.get_default()
            prepared = None if default is None else f.get_db_prep_save(default, connection)
            plain = f.get_internal_type() in _PLAIN_TYPES
            self.plan.append((f.attname, prepared, None if plain else f.get_db_prep_save))

    def insert(self, records: Sequence[Any]) -> None:
        rows = []
        for record in records:
            values = record.__dict__
            row = []
            for attname, default, prepare in self.plan:
                if attname in values:
                    value = values[attname]
                    if prepare is not None and value is not None:
                        value = prepare(value, connection)
                    row.append(value)
                else:
                    row.append(default)
            rows.append(row)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.insert_sql, rows)
