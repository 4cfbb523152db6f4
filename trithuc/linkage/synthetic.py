"""Synthetic people with injected duplicates and known truth, for the linkage benchmark and
tests: built directly as a table (never through the ORM), a million rows in seconds.

The people are invented: family names with their approximate Vietnamese frequencies
(Nguyễn about 38%), middle and given names drawn with a long-tailed (Zipf-like) weight from
lists of common ones, birth dates from 1950 to 2001 (5% known only by year), 40 departments
of 50 units each, degree groups and level-2 fields of science. 60% hold a citizen ID (here a
random hash).

A duplicate is another agency's copy of a person, so from another unit half of the time
(the same department for half of those), with the errors the issue names, each drawn
independently: accents dropped (30%), the other tone placement, "Hòa"/"Hoà" (30% of the
names where it applies), one typing error in the name (15%: a letter replaced, left out,
doubled or two swapped), day and month swapped (10% where the day is 12 or less), missing
fields: only the birth year (5%), no gender (15%), unit (15%), degree (20%) or field (20%),
and the citizen ID left out (70% of those who have one; 20% of those who have none give one).
One duplicate in ten is a second copy of a person already copied (clusters of three).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from trithuc.core.text import fold

FAMILY = {
    "Nguyễn": 38.0, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.0, "Hoàng": 4.0, "Huỳnh": 3.0,
    "Phan": 4.5, "Vũ": 2.5, "Võ": 2.0, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3,
    "Ngô": 1.3, "Dương": 1.0, "Lý": 0.5, "Đinh": 0.6, "Đào": 0.5, "Trịnh": 0.4, "Mai": 0.4,
    "Trương": 0.5, "Lâm": 0.3, "Phùng": 0.2, "Tạ": 0.2, "Hà": 0.3, "Cao": 0.3, "Lương": 0.3,
    "Lưu": 0.2, "Tô": 0.2, "Đoàn": 0.4, "Vương": 0.1, "Kiều": 0.1, "Chu": 0.2, "Quách": 0.1,
    "Thái": 0.1, "Tăng": 0.1, "Khúc": 0.05, "Nghiêm": 0.05, "Triệu": 0.1, "La": 0.05,
    "Doãn": 0.05, "Âu": 0.05, "Giang": 0.05, "Tống": 0.1, "Lục": 0.05, "Khổng": 0.05,
}  # fmt: skip


def _words(text: str) -> list[str]:
    return text.split()


MIDDLE_MALE = _words(
    "Văn Đức Minh Quang Hữu Thanh Ngọc Xuân Tuấn Công Đình Mạnh Trọng Hoàng Anh Duy Thế Việt "
    "Hải Bá Gia Tiến Khắc Quốc Chí Hồng Kim Thành Huy Nhật Bảo Đăng Phú Trung Hoài Ngọc"
)
MIDDLE_FEMALE = _words(
    "Thị Thu Thanh Ngọc Minh Hồng Thúy Kim Phương Bích Mai Lan Hoài Diệu Khánh Quỳnh Bảo Thùy "
    "Hải Mỹ Tuyết Hà Anh Hoa Cẩm Kiều Phương Tú Vân Như Hương"
)
GIVEN_MALE = _words(
    "Anh Hùng Dũng Tuấn Hải Hoàng Huy Minh Nam Long Sơn Thắng Trung Đức Cường Hưng Khánh Quân "
    "Quang Phong Tài Thành Tùng Vinh Việt Hiếu Hiển Hòa Khoa Kiên Lâm Linh Lộc Luân Mạnh "
    "Nghĩa Nhân Phát Phúc Phương Quý Sang Tâm Thái Thanh Thiện Thịnh Thông Toàn Trí Trọng Tú "
    "Vũ Bình Công Chiến Chung Đạt Định Đông Duy Giang Hà Hậu Hiệp Học Hợp Huân Khải Khang "
    "Khôi Kiệt Lực Lượng Nguyên Nhật Ninh Phú Quyết Sỹ Tân Thạch Thiên Thuận Tiến Toản "
    "Trường Tuệ Tường Vượng Xuân Thủy Lợi Hiếu Khiêm Đoàn Dương Bảo Hạnh Tính Thụy Uy Vĩnh "
    "Bách Cảnh Chính Diệu Doanh Hào Hoan Khương Lạc Lĩnh Nhạc Phụng Quảng Sáng Thao Thắm "
    "Tiệp Triều Tuyên Viên Vịnh"
)
GIVEN_FEMALE = _words(
    "Anh Hà Hương Hằng Hạnh Hoa Hòa Huyền Lan Liên Linh Loan Mai Ngọc Nga Nhung Oanh Phương "
    "Quỳnh Thảo Thủy Trang Tuyết Vân Yến Xuân Dung Giang Hiền Hồng Hường Khánh Lê Lý Minh My "
    "Nguyệt Nhàn Như Phượng Quyên Tâm Thanh Thơm Thu Thúy Thư Tú Uyên Vy Ánh Bích Châu Chi "
    "Diệp Diệu Duyên Hải Hậu Hoài Huệ Kiều Lài Lệ Luyến Ly Miên Nhi Quế Sen Thắm Thoa Trâm "
    "Trinh Vui Yên Ngân Hảo Hân Khuê Ngoan Sương Thùy Xoan Đào Gấm Hiên Hoan Khuyên Lụa "
    "Mơ Mận Nhạn Nương Phấn Thêu Thìn Thoan Tươi Vinh Xuyến Hòe Nhị Đan Ngà"
)
# Words with an "old" and a "new" tone placement (the lists hold the old one).
TONE_STYLES = {"Hòa": "Hoà", "Thủy": "Thuỷ", "Thúy": "Thuý", "Thùy": "Thuỳ", "Thụy": "Thuỵ",
               "Hòe": "Hoè"}  # fmt: skip
TONE_STYLES_BACK = {v: k for k, v in TONE_STYLES.items()}
DEGREES = {"DH": 45.0, "THS": 38.0, "TS": 12.0, "BSCKI": 3.0, "BSCKII": 1.5, "TSKH": 0.5}
FIELDS = _words(
    "101 102 103 104 105 106 199 201 202 203 204 205 206 207 208 209 210 211 299 301 302 303 "
    "304 305 399 401 402 403 404 405 406 499 501 502 503 504 505 506 507 508 599 601 602 603 "
    "604 699"
)
DEPARTMENTS, UNITS_PER_DEPARTMENT = 40, 50
FIRST_DAY, LAST_DAY = date(1950, 1, 1), date(2001, 12, 31)


def _zipf(n: int, s: float = 1.0, offset: float = 3.0) -> np.ndarray:
    weights = 1.0 / (np.arange(n) + offset) ** s
    return weights / weights.sum()


@dataclass
class SyntheticPeople:
    """The table (`link`'s input columns plus full_name) and the truth: person -> entity."""

    records: pd.DataFrame
    entity: dict[int, int]  # unique_id -> the id of the person it is a copy of (or itself)
    duplicates: int

    def true_pairs(self) -> set[tuple[int, int]]:
        groups: dict[int, list[int]] = {}
        for uid, ent in self.entity.items():
            groups.setdefault(ent, []).append(uid)
        pairs = set()
        for members in groups.values():
            if len(members) > 1:
                members.sort()
                for i, a in enumerate(members):
                    for b in members[i + 1 :]:
                        pairs.add((a, b))
        return pairs


def _typo(name: str, rng: random.Random) -> str:
    """One typing error in a letter of the name: replaced, left out, doubled or swapped."""
    positions = [i for i, ch in enumerate(name) if ch.isalpha()]
    i = rng.choice(positions)
    kind = rng.random()
    letters = "abcdeghiklmnopqrstuvxy"
    if kind < 0.4:
        return name[:i] + rng.choice(letters) + name[i + 1 :]
    if kind < 0.6 and len(positions) > 6:
        return name[:i] + name[i + 1 :]
    if kind < 0.8:
        return name[:i] + name[i] + name[i:]
    if i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + rng.choice(letters) + name[i + 1 :]


def _unaccented(name: str) -> str:
    return " ".join(word.capitalize() for word in fold(name).split())


def _restyle(name: str) -> str:
    words = name.split()
    flipped = [TONE_STYLES.get(w) or TONE_STYLES_BACK.get(w) or w for w in words]
    return " ".join(flipped)


def generate(total: int, *, duplicate_rate: float = 0.05, seed: int = 0) -> SyntheticPeople:
    """`total` records of which `duplicate_rate` are copies (with errors) of others."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    gen = np.random.default_rng(seed)
    duplicates = round(total * duplicate_rate)
    base = total - duplicates

    female = gen.random(base) < 0.5
    families = list(FAMILY)
    family_p = np.array(list(FAMILY.values()))
    family = gen.choice(len(families), base, p=family_p / family_p.sum())
    mid_m = gen.choice(len(MIDDLE_MALE), base, p=_zipf(len(MIDDLE_MALE), 1.2, 1.0))
    mid_f = gen.choice(len(MIDDLE_FEMALE), base, p=_zipf(len(MIDDLE_FEMALE), 1.2, 1.0))
    given_m = gen.choice(len(GIVEN_MALE), base, p=_zipf(len(GIVEN_MALE), 0.9))
    given_f = gen.choice(len(GIVEN_FEMALE), base, p=_zipf(len(GIVEN_FEMALE), 0.9))
    second_middle = gen.random(base) < 0.2
    new_style = gen.random(base) < 0.3
    names = []
    for i in range(base):
        if female[i]:
            middle = MIDDLE_FEMALE[mid_f[i]]
            extra = MIDDLE_FEMALE[(mid_f[i] + 7) % len(MIDDLE_FEMALE)]
            given = GIVEN_FEMALE[given_f[i]]
        else:
            middle = MIDDLE_MALE[mid_m[i]]
            extra = MIDDLE_MALE[(mid_m[i] + 5) % len(MIDDLE_MALE)]
            given = GIVEN_MALE[given_m[i]]
        parts = [families[family[i]], middle]
        if second_middle[i] and extra not in (middle, given):
            parts.append(extra)
        parts.append(given)
        name = " ".join(parts)
        names.append(_restyle(name) if new_style[i] else name)

    span = (LAST_DAY - FIRST_DAY).days
    birth = pd.to_datetime(FIRST_DAY) + pd.to_timedelta(gen.integers(0, span + 1, base), "D")
    precise = gen.random(base) >= 0.05
    unit_index = gen.choice(
        DEPARTMENTS * UNITS_PER_DEPARTMENT, base, p=_zipf(DEPARTMENTS * UNITS_PER_DEPARTMENT, 0.6)
    )
    degree_keys = list(DEGREES)
    degree_p = np.array(list(DEGREES.values()))
    degree = gen.choice(len(degree_keys), base, p=degree_p / degree_p.sum())
    field = gen.choice(len(FIELDS), base, p=_zipf(len(FIELDS), 0.8))
    has_id = gen.random(base) < 0.6
    ids = gen.permutation(total * 2)

    frame = pd.DataFrame(
        {
            "full_name": names,
            "birth_date": birth,
            "birth_precise": precise,
            "gender": np.where(female, "female", "male"),
            "unit": [f"U{u}" for u in unit_index],
            "dept": [f"D{u // UNITS_PER_DEPARTMENT}" for u in unit_index],
            "degree": [degree_keys[d] for d in degree],
            "field": [FIELDS[f] for f in field],
            "id_hash": [f"{ids[i]:012x}" if has_id[i] else None for i in range(base)],
        }
    )
    # Year only: the date is 1 January, as the registry stores it.
    years = frame["birth_date"].dt.year
    frame.loc[~precise, "birth_date"] = pd.to_datetime(
        {"year": years[~precise], "month": 1, "day": 1}
    )

    originals = rng.sample(range(base), k=min(base, round(duplicates * 0.9)))
    second = rng.sample(originals, k=min(len(originals), duplicates - len(originals)))
    copies = [_copy(frame.iloc[i].to_dict(), rng, ids[base + n]) for n, i in
              enumerate(originals + second)]  # fmt: skip
    frame = pd.concat([frame, pd.DataFrame(copies)], ignore_index=True)
    source = list(range(base)) + originals + second
    order = gen.permutation(len(frame)) + 1  # unique ids, shuffled
    frame.insert(0, "unique_id", order)
    entity = {int(order[row]): int(order[source[row]]) for row in range(len(frame))}
    return SyntheticPeople(frame, entity, len(copies))


def _copy(row: dict[str, Any], rng: random.Random, fresh_id: int) -> dict[str, Any]:
    row = dict(row)
    name = row["full_name"]
    if rng.random() < 0.3:
        name = _restyle(name)
    if rng.random() < 0.15:
        name = _typo(name, rng)
    if rng.random() < 0.3:
        name = _unaccented(name)
    row["full_name"] = name
    born = row["birth_date"].date()
    if row["birth_precise"]:
        if rng.random() < 0.1 and born.day <= 12 and born.day != born.month:
            born = date(born.year, born.day, born.month)
        if rng.random() < 0.05:
            row["birth_precise"] = False
            born = date(born.year, 1, 1)
    row["birth_date"] = pd.Timestamp(born)
    if rng.random() < 0.5:
        if rng.random() < 0.5:
            dept = row["dept"]
            unit = f"U{int(dept[1:]) * UNITS_PER_DEPARTMENT + rng.randrange(UNITS_PER_DEPARTMENT)}"
        else:
            unit = f"U{rng.randrange(DEPARTMENTS * UNITS_PER_DEPARTMENT)}"
        row["unit"] = unit
        row["dept"] = f"D{int(unit[1:]) // UNITS_PER_DEPARTMENT}"
    for column, rate in (("gender", 0.15), ("unit", 0.15), ("degree", 0.2), ("field", 0.2)):
        if rng.random() < rate:
            row[column] = None
            if column == "unit":
                row["dept"] = None
    if row["id_hash"] is not None:
        draw = rng.random()
        if draw < 0.70:
            row["id_hash"] = None
    elif rng.random() < 0.2:
        row["id_hash"] = f"{fresh_id:012x}"
    return row


def to_input(people: SyntheticPeople) -> pd.DataFrame:
    """The table `engine.link` reads (names through the same keys as the registry's)."""
    from .engine import prepare_frame

    return prepare_frame(people.records)
