"""Choice lists of the registry. Lists that may need correcting without a code change
(fields of science, degree levels, ethnic groups, professorship councils) are taxonomy
tables instead (models.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class BirthDatePrecision(models.TextChoices):
    DAY = "day", _("Ngày, tháng, năm")
    YEAR = "year", _("Chỉ có năm sinh")


class PersonStatus(models.TextChoices):
    WORKING = "working", _("Đang công tác")
    RETIRED = "retired", _("Đã nghỉ hưu")
    ABROAD = "abroad", _("Ở nước ngoài")
    DECEASED = "deceased", _("Đã mất")


class Sector(models.TextChoices):
    STATE_ADMINISTRATION = "state_administration", _("Cơ quan hành chính nhà nước")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập")
    STATE_ENTERPRISE = "state_enterprise", _("Doanh nghiệp nhà nước")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Doanh nghiệp ngoài nhà nước")
    ASSOCIATION = "association", _("Hội, tổ chức phi chính phủ")
    FOREIGN_ORGANIZATION = "foreign_organization", _("Tổ chức nước ngoài")
    OVERSEAS = "overseas", _("Trí thức ở nước ngoài")
    INDEPENDENT = "independent", _("Nghỉ hưu, hoạt động độc lập")


class PoliticalTheory(models.TextChoices):
    # (unverified list, DOMAIN.md)
    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    ADVANCED = "advanced", _("Cao cấp")
    BACHELOR = "bachelor", _("Cử nhân")


class AcademicTitleKind(models.TextChoices):
    GS = "GS", _("Giáo sư")
    PGS = "PGS", _("Phó giáo sư")


class AppointmentStatus(models.TextChoices):
    RECOGNISED = "recognised", _("Đã được công nhận đạt chuẩn, chưa bổ nhiệm")
    APPOINTED = "appointed", _("Đã được bổ nhiệm")
    NOT_APPOINTED = "not_appointed", _("Không được bổ nhiệm")


class LeadershipLevel(models.TextChoices):
    """Ordered: the position of a value in this list is its seniority."""

    NONE = "", _("Không giữ chức vụ lãnh đạo")
    DEPUTY_DIVISION = "deputy_division", _("Phó trưởng phòng và tương đương")
    HEAD_DIVISION = "head_division", _("Trưởng phòng và tương đương")
    DEPUTY_UNIT = "deputy_unit", _("Phó thủ trưởng cơ quan, đơn vị")
    HEAD_UNIT = "head_unit", _("Thủ trưởng cơ quan, đơn vị")
    CITY = "city", _("Lãnh đạo thành phố")


class CivilServiceRank(models.TextChoices):
    SENIOR_SPECIALIST = "senior_specialist", _("Chuyên viên cao cấp và tương đương")
    PRINCIPAL_SPECIALIST = "principal_specialist", _("Chuyên viên chính và tương đương")
    SPECIALIST = "specialist", _("Chuyên viên và tương đương")
    OFFICER = "officer", _("Cán sự và tương đương")
    GRADE_I = "grade_1", _("Viên chức hạng I")
    GRADE_II = "grade_2", _("Viên chức hạng II")
    GRADE_III = "grade_3", _("Viên chức hạng III")
    GRADE_IV = "grade_4", _("Viên chức hạng IV")


class LanguageLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("Bản ngữ")


class Language(models.TextChoices):
    ENGLISH = "en", _("Tiếng Anh")
    FRENCH = "fr", _("Tiếng Pháp")
    RUSSIAN = "ru", _("Tiếng Nga")
    CHINESE = "zh", _("Tiếng Trung")
    JAPANESE = "ja", _("Tiếng Nhật")
    KOREAN = "ko", _("Tiếng Hàn")
    GERMAN = "de", _("Tiếng Đức")
    SPANISH = "es", _("Tiếng Tây Ban Nha")
    ITALIAN = "it", _("Tiếng Ý")
    LAO = "lo", _("Tiếng Lào")
    KHMER = "km", _("Tiếng Khmer")
    THAI = "th", _("Tiếng Thái Lan")
    VIETNAMESE = "vi", _("Tiếng Việt")
    OTHER = "other", _("Ngôn ngữ khác")


class TrainingCategory(models.TextChoices):
    STATE_MANAGEMENT = "state_management", _("Quản lý nhà nước")
    POLITICAL_THEORY = "political_theory", _("Lý luận chính trị")
    INTERNATIONAL_INTEGRATION = "international_integration", _("Hội nhập quốc tế")
    FOREIGN_LANGUAGE = "foreign_language", _("Ngoại ngữ")
    PROFESSIONAL_UPDATE = "professional_update", _("Cập nhật kiến thức chuyên môn")
    DIGITAL_SKILLS = "digital_skills", _("Kỹ năng số")
    OTHER = "other", _("Khác")


class PatentKind(models.TextChoices):
    PATENT = "patent", _("Bằng độc quyền sáng chế")
    UTILITY_SOLUTION = "utility_solution", _("Bằng độc quyền giải pháp hữu ích")


class ProjectLevel(models.TextChoices):
    NATIONAL = "national", _("Cấp quốc gia")
    MINISTERIAL = "ministerial", _("Cấp bộ")
    PROVINCIAL = "provincial", _("Cấp tỉnh, thành phố")
    INSTITUTIONAL = "institutional", _("Cấp cơ sở")
    INTERNATIONAL = "international", _("Hợp tác quốc tế")


class ProjectRole(models.TextChoices):
    LEAD = "lead", _("Chủ nhiệm")
    SECRETARY = "secretary", _("Thư ký")
    MEMBER = "member", _("Thành viên")


class ProjectStatus(models.TextChoices):
    ONGOING = "ongoing", _("Đang thực hiện")
    ACCEPTED = "accepted", _("Đã nghiệm thu")
    STOPPED = "stopped", _("Dừng thực hiện")


class AwardLevel(models.TextChoices):
    STATE = "state", _("Nhà nước")
    NATIONAL = "national", _("Cấp quốc gia")
    MINISTERIAL = "ministerial", _("Cấp bộ, ngành")
    PROVINCIAL = "provincial", _("Cấp tỉnh, thành phố")
    INTERNATIONAL = "international", _("Quốc tế")
    OTHER = "other", _("Khác")


class WorkKind(models.TextChoices):
    LITERATURE = "literature", _("Văn học")
    MUSIC = "music", _("Âm nhạc")
    FINE_ARTS = "fine_arts", _("Mỹ thuật")
    STAGE = "stage", _("Sân khấu")
    FILM = "film", _("Điện ảnh")
    PHOTOGRAPHY = "photography", _("Nhiếp ảnh")
    ARCHITECTURE = "architecture", _("Kiến trúc")
    OTHER = "other", _("Khác")


class ConsentPurpose(models.TextChoices):
    PUBLIC_PROFILE = "public_profile", _("Công khai hồ sơ trên cổng thông tin")
    EXPERT_FINDER = "expert_finder", _("Đưa vào danh sách tìm kiếm chuyên gia")
    CONTACT = "contact", _("Liên hệ mời tham gia tư vấn, phản biện, hội đồng")
    STATISTICS = "statistics", _("Thống kê, báo cáo")


class ProfilePart(models.TextChoices):
    """The parts of a profile a consent can cover."""

    BASIC = "basic", _("Họ tên, học hàm, học vị, đơn vị")
    EXPERTISE = "expertise", _("Lĩnh vực chuyên môn, từ khóa, ngoại ngữ")
    DEGREES = "degrees", _("Quá trình đào tạo")
    ACHIEVEMENTS = "achievements", _("Công trình, đề tài, giải thưởng")
    CONTACTS = "contacts", _("Thông tin liên hệ")
    PHOTO = "photo", _("Ảnh")


class Source(models.TextChoices):
    AGENCY = "agency", _("Cơ quan, đơn vị cung cấp")
    IMPORT = "import", _("Nhập từ tệp")
    SELF = "self", _("Cá nhân tự khai")
    STAFF = "staff", _("Cán bộ nhập trên hệ thống")


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Chưa xác minh")
    VERIFIED = "verified", _("Đã xác minh")
    DISPUTED = "disputed", _("Có sai lệch cần kiểm tra")
