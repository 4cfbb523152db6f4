"""Citizen ID (CCCD / số định danh cá nhân): 12 digits with a checkable structure.

Digits 1–3: the province (or country) code of birth registration, from the pre-2025 list of
63 (numbers issued before the 2025 merger keep their codes). Digit 4: century and gender —
0/1 male/female born 1900–1999, 2/3 born 2000–2099, and on by the same rule (2 × century
index + gender). Digits 5–6: the last two digits of the birth year. Digits 7–12 are random;
there is no check digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

# Province codes of birth registration (DOMAIN.md); kept as data, not derived.
PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
FIRST_CENTURY = 1900  # digit 4 = 0 or 1
MALE, FEMALE = "male", "female"
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class CitizenIdProblem:
    """Why a citizen ID is refused: a stable code and a Vietnamese message."""

    code: str
    message: str


@dataclass(frozen=True)
class CitizenId:
    """A structurally valid citizen ID and what it says about its holder."""

    number: str
    province_code: str
    gender: str
    birth_year_last_two: int
    century_start: int

    @property
    def birth_year(self) -> int:
        return self.century_start + self.birth_year_last_two

    @property
    def masked(self) -> str:
        """Shown to roles that may not see it: the last three digits only."""
        return masked_last_digits(self.number[-3:])


def normalize(raw: str | int | None) -> tuple[str, list[str]]:
    """Digits only, with the fixes made to get there (spaces, lost leading zero).

    Spreadsheets write "001 203 004 567", "001.203.004.567", or a number that lost its
    leading zero (1203004567 as 11 digits). Returns the candidate and the list of fix codes.
    """
    fixes: list[str] = []
    if raw is None:
        return "", fixes
    if isinstance(raw, int):
        text = str(raw)
    else:
        text = str(raw).strip()
        if text.endswith(".0") and text[:-2].isdigit():  # a float from a spreadsheet cell
            text = text[:-2]
        stripped = _SEPARATORS.sub("", text)
        if stripped != text:
            fixes.append("separators_removed")
        text = stripped
    if text.isdigit() and len(text) == 11:
        text = "0" + text
        fixes.append("leading_zero_restored")
    return text, fixes


def parse(
    raw: str | int | None, *, gender: str | None = None, birth_year: int | None = None
) -> CitizenId | CitizenIdProblem:
    """Check structure and consistency with gender and birth year when they are known."""
    number, _fixes = normalize(raw)
    if not number:
        return CitizenIdProblem("empty", _("Chưa có số định danh cá nhân."))
    if not number.isdigit():
        return CitizenIdProblem(
            "not_digits", _("Số định danh cá nhân chỉ gồm chữ số. Hãy bỏ chữ cái và ký hiệu.")
        )
    if len(number) != 12:
        return CitizenIdProblem(
            "length",
            _(
                "Số định danh cá nhân phải có 12 chữ số; số này có %(count)s. "
                "Hãy kiểm tra lại trên thẻ căn cước."
            )
            % {"count": len(number)},
        )
    province = number[:3]
    if province not in PROVINCE_CODES:
        return CitizenIdProblem(
            "province",
            _(
                "Ba chữ số đầu “%(code)s” không phải mã tỉnh nơi đăng ký khai sinh. "
                "Hãy kiểm tra lại trên thẻ căn cước."
            )
            % {"code": province},
        )
    marker = int(number[3])
    id_gender = FEMALE if marker % 2 else MALE
    century_start = FIRST_CENTURY + 100 * (marker // 2)
    result = CitizenId(
        number=number,
        province_code=province,
        gender=id_gender,
        birth_year_last_two=int(number[4:6]),
        century_start=century_start,
    )
    if century_start > date.today().year:
        # Digits 4 and up are kept for people born from 2100 on: none is issued yet.
        return CitizenIdProblem(
            "century",
            _(
                "Chữ số thứ 4 của số định danh là “%(digit)s”, chỉ dùng cho người sinh từ năm "
                "%(year)s; người sinh 1900–1999 có chữ số 0 (nam) hoặc 1 (nữ), sinh 2000–2099 "
                "có 2 (nam) hoặc 3 (nữ). Hãy kiểm tra lại trên thẻ căn cước."
            )
            % {"digit": marker, "year": century_start},
        )
    if gender in (MALE, FEMALE) and gender != id_gender:
        return CitizenIdProblem(
            "gender_mismatch",
            (
                _(
                    "Chữ số thứ 4 của số định danh cho biết giới tính nữ, khác với giới tính đã "
                    "khai. Hãy kiểm tra lại số hoặc giới tính."
                )
                if id_gender == FEMALE
                else _(
                    "Chữ số thứ 4 của số định danh cho biết giới tính nam, khác với giới tính đã "
                    "khai. Hãy kiểm tra lại số hoặc giới tính."
                )
            ),
        )
    if birth_year is not None and birth_year != result.birth_year:
        return CitizenIdProblem(
            "birth_year_mismatch",
            _(
                "Số định danh cho biết năm sinh %(id_year)s, khác với năm sinh đã khai "
                "(%(year)s). Hãy kiểm tra lại số hoặc ngày sinh."
            )
            % {"id_year": result.birth_year, "year": birth_year},
        )
    if result.birth_year > date.today().year:
        return CitizenIdProblem(
            "future",
            _(
                "Số định danh cho biết năm sinh %(id_year)s, ở tương lai. Hãy kiểm tra lại chữ "
                "số thứ 4 đến thứ 6 trên thẻ căn cước."
            )
            % {"id_year": result.birth_year},
        )
    return result


def masked_last_digits(last: str) -> str:
    """The masked form from the last three digits alone (what the registry stores in clear)."""
    return "•" * 9 + last
