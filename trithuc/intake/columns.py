"""The columns of the people template: the field each feeds, its header, the other headers
agencies write for it, and the note shown on the template's header cell.

Headers are compared with `core.tabular.header_key` (folded, letters and digits only), so
"Họ và tên", "HỌ VÀ TÊN", "ho va ten" and "Họ  và  tên:" are the same header.
"""

from __future__ import annotations

from dataclasses import dataclass

from trithuc.core.tabular import header_key

# The template's version: written on its instruction sheet and in a hidden cell; a change of
# columns gets a new one, and files of older versions are still read by their headers.
TEMPLATE_VERSION = "2025.1"


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the template's header
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""
    width: int = 16
    max_length: int = 255
    in_template: bool = True  # False: recognised in agencies' files, not in the template


IGNORE = ""  # the mapping value of a column the user chose to leave out

COLUMNS: tuple[Column, ...] = (
    Column("row_number", "STT", aliases=("so thu tu", "tt", "no", "stt"), width=6,
           note="Số thứ tự; không bắt buộc, không được ghi vào hệ thống."),
    Column("full_name", "Họ và tên", True,
           ("ho ten", "ho va ten", "ho ten day du", "ten", "ho va ten can bo", "full name",
            "name", "ten can bo", "ten tri thuc", "ho ten tri thuc"), width=28, max_length=150,
           note="Bắt buộc. Viết đầy đủ, có dấu: Nguyễn Thị Minh Khai. Không ghi học hàm, học "
                "vị trước tên."),
    Column("name_family", "Họ và tên đệm",
           aliases=("ho", "ho dem", "ho va dem", "ho va ten dem", "ho va chu dem", "ho lot",
                    "family name", "surname"), max_length=150, in_template=False),
    Column("name_given", "Tên", aliases=("ten goi", "given name", "first name"),
           max_length=60, in_template=False),
    Column("birth", "Ngày sinh", True,
           ("ngay thang nam sinh", "nam sinh", "ngay sinh", "sinh ngay", "date of birth",
            "birth date", "dob", "ngay thang nam sinh dd mm yyyy"),
           width=13,
           note="Bắt buộc. Ngày/tháng/năm (15/03/1975); chỉ biết năm thì ghi 1975."),
    Column("gender", "Giới tính", True, ("gioi", "gioi tinh", "nam nu", "gender", "sex"),
           width=10, note="Bắt buộc. Chọn Nam hoặc Nữ."),
    Column("citizen_id", "Số định danh cá nhân",
           aliases=("so cccd", "cccd", "can cuoc", "so can cuoc", "so can cuoc cong dan",
                    "so dinh danh", "ma dinh danh", "so dinh danh ca nhan cccd",
                    "cmnd cccd", "so cmnd cccd", "citizen id", "id number"),
           width=16, max_length=32,
           note="12 chữ số trên thẻ căn cước. Định dạng ô là Văn bản để giữ số 0 ở đầu. Dùng "
                "để nhận ra người đã có trong hệ thống khi nhập lại."),
    Column("ethnicity", "Dân tộc", aliases=("dan toc", "ethnicity"), width=10,
           note="Tên dân tộc theo danh mục 54 dân tộc, ví dụ Kinh, Tày."),
    Column("religion", "Tôn giáo", aliases=("ton giao", "religion"), width=10, max_length=100,
           note="Ghi “Không” nếu không theo tôn giáo nào."),
    Column("unit_code", "Mã đơn vị",
           aliases=("ma don vi", "ma co quan", "ma don vi cong tac", "unit code"), width=12,
           note="Mã của đơn vị trong cây tổ chức (trong phạm vi cơ quan nhập). Để trống: "
                "ghi vào cơ quan đã chọn khi tải lên."),
    Column("unit_name", "Đơn vị công tác",
           aliases=("don vi", "co quan", "noi cong tac", "co quan don vi", "don vi cong tac",
                    "co quan cong tac", "phong ban", "khoa phong", "unit", "organization"),
           width=28,
           note="Tên đơn vị (khi không ghi mã): phải trùng tên một đơn vị trong cây tổ chức."),
    Column("job_title", "Chức vụ, chức danh",
           aliases=("chuc vu", "chuc danh", "chuc vu chuc danh", "chuc vu hien tai",
                    "vi tri viec lam", "position", "job title"), width=22,
           note="Chức vụ hoặc chức danh hiện tại, ví dụ Trưởng phòng, Giảng viên chính."),
    Column("position_start", "Ngày giữ chức vụ",
           aliases=("ngay bo nhiem", "tu ngay", "ngay giu chuc vu", "thoi gian bo nhiem",
                    "ngay bat dau"), width=13,
           note="Ngày bắt đầu giữ chức vụ. Để trống: ghi tạm là ngày nhập, có lưu ý."),
    Column("title", "Học hàm", aliases=("hoc ham", "chuc danh khoa hoc", "gs pgs", "title"),
           width=10, note="GS hoặc PGS (chọn trong danh sách)."),
    Column("title_year", "Năm công nhận học hàm",
           aliases=("nam phong hoc ham", "nam cong nhan", "nam duoc cong nhan hoc ham",
                    "nam phong", "nam cong nhan gs pgs"), width=10,
           note="Năm được Hội đồng Giáo sư nhà nước công nhận đạt chuẩn."),
    Column("degree", "Trình độ chuyên môn",
           aliases=("hoc vi", "trinh do", "trinh do chuyen mon", "trinh do dao tao",
                    "bang cap", "van bang", "trinh do cao nhat", "hoc ham hoc vi",
                    "degree", "qualification", "trinh do chuyen mon cao nhat"), width=16,
           note="Trình độ cao nhất: TSKH, TS, BSCKII, ThS, BSCKI, CN, KS, BS, DS, KTS, Đại "
                "học, Cao đẳng, Trung cấp (chọn trong danh sách). Có thể ghi kèm học hàm "
                "(PGS.TS) và chuyên ngành (Thạc sĩ Kinh tế)."),
    Column("major", "Chuyên ngành", aliases=("chuyen nganh", "nganh", "chuyen nganh dao tao",
                                             "major"), width=22,
           note="Chuyên ngành của trình độ cao nhất."),
    Column("degree_year", "Năm tốt nghiệp",
           aliases=("nam tot nghiep", "nam cap bang", "nam nhan bang", "nam bao ve",
                    "graduation year"), width=10,
           note="Năm nhận bằng cao nhất. Cần có khi người này chưa có bằng đó trong hệ thống."),
    Column("institution", "Cơ sở đào tạo",
           aliases=("noi dao tao", "truong dao tao", "co so dao tao", "truong", "institution"),
           width=24),
    Column("degree_country", "Nước đào tạo",
           aliases=("nuoc dao tao", "quoc gia dao tao", "dao tao tai nuoc", "country"), width=12,
           note="Tên nước (Việt Nam, Nhật Bản…) hoặc mã 2 chữ cái (VN, JP)."),
    Column("field", "Lĩnh vực khoa học",
           aliases=("linh vuc", "linh vuc chuyen mon", "linh vuc khoa hoc", "linh vuc kh cn",
                    "linh vuc nghien cuu", "field", "field of science"), width=26,
           note="Mã hoặc tên lĩnh vực theo Thông tư 24/2025/TT-BKHCN, ví dụ 102 hoặc Khoa học "
                "máy tính và thông tin (chọn trong danh sách)."),
    Column("political_theory", "Lý luận chính trị",
           aliases=("ly luan chinh tri", "trinh do ly luan chinh tri", "llct"), width=12,
           note="Sơ cấp, Trung cấp, Cao cấp hoặc Cử nhân."),
    Column("sector", "Khu vực công tác", aliases=("khu vuc", "khu vuc cong tac", "sector"),
           width=20, note="Để trống: theo loại hình của đơn vị."),
    Column("status", "Tình trạng", aliases=("tinh trang", "trang thai", "status"), width=14,
           note="Đang công tác, Đã nghỉ hưu, Ở nước ngoài, Đã mất. Để trống: Đang công tác."),
    Column("email", "Thư điện tử", aliases=("email", "e mail", "thu dien tu", "dia chi email"),
           width=24, max_length=254),
    Column("phone", "Điện thoại",
           aliases=("dien thoai", "so dien thoai", "dt", "sdt", "dien thoai di dong", "phone",
                    "mobile"), width=14, max_length=32),
    Column("address", "Địa chỉ", aliases=("dia chi", "noi o", "dia chi lien he", "address"),
           width=28),
    Column("keywords", "Từ khóa chuyên môn",
           aliases=("tu khoa", "tu khoa chuyen mon", "huong nghien cuu", "keywords"), width=24,
           max_length=500,
           note="Cách nhau bằng dấu phẩy, ví dụ: trí tuệ nhân tạo, quy hoạch đô thị."),
    Column("note", "Ghi chú", aliases=("ghi chu", "note", "notes"), width=20,
           note="Không được ghi vào hệ thống."),
)  # fmt: skip

COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
REQUIRED = tuple(column.field for column in COLUMNS if column.required)
TEMPLATE_COLUMNS = tuple(column for column in COLUMNS if column.in_template)
# Columns read but never written to the registry.
UNSTORED = {"row_number", "note"}

_KEYS: dict[str, str] = {}
for _column in COLUMNS:
    for _text in (_column.label, *_column.aliases):
        _KEYS.setdefault(header_key(_text), _column.field)
# "Học hàm, học vị" in one column is read by the degree parser (it takes both).
_KEYS[header_key("Học hàm, học vị")] = "degree"
_KEYS[header_key("Học hàm học vị")] = "degree"


def field_for_header(text: str) -> str | None:
    """The field a header names, by the template's label or a known synonym."""
    return _KEYS.get(header_key(text))
