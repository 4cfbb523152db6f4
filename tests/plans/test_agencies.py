"""Agency names: splitting cells, roles, groups, and matching to the Hà Nội demo tree."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trithuc.organizations.data import DATA_DIR
from trithuc.plans.agencies import (
    GROUP,
    GROUP_DEPARTMENTS,
    GROUP_LOCALITIES,
    GROUP_RELATED,
    MATCHED,
    UNMATCHED,
    AgencyMatcher,
    agency_key,
    assign_roles,
    group_kinds,
    split_agencies,
)


@pytest.mark.parametrize(
    ("cell", "agencies"),
    [
        ("Sở Tài chính, Sở Khoa học và Công nghệ", ["Sở Tài chính", "Sở Khoa học và Công nghệ"]),
        ("Các Sở, ngành, đơn vị liên quan", ["Các Sở, ngành, đơn vị liên quan"]),
        ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
        ("UBND các quận, huyện, thị xã", ["UBND các quận, huyện, thị xã"]),
        (
            "Các Sở, ngành, đơn vị liên quan, UBND các quận, huyện, thị xã",
            ["Các Sở, ngành, đơn vị liên quan", "UBND các quận, huyện, thị xã"],
        ),
        (
            "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội, Trường Đào tạo Cán bộ Lê Hồng "
            "Phong, các Sở, ngành, đơn vị liên quan",
            [
                "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội",
                "Trường Đào tạo Cán bộ Lê Hồng Phong",
                "các Sở, ngành, đơn vị liên quan",
            ],
        ),
        ("Sở Nội vụ và UBND các xã, phường", ["Sở Nội vụ", "UBND các xã, phường"]),
        ("Sở Lao động, Thương binh và Xã hội", ["Sở Lao động, Thương binh và Xã hội"]),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội",
         ["Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội"]),
        ("Sở Y tế; Bảo hiểm xã hội tỉnh", ["Sở Y tế", "Bảo hiểm xã hội tỉnh"]),
        ("Sở Nội vụ\nSở Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
        ("- Sở Nội vụ\n- Sở Tư pháp", ["Sở Nội vụ", "Sở Tư pháp"]),
        ("Sở A, Sở B, và các đơn vị liên quan", ["Sở A", "Sở B", "các đơn vị liên quan"]),
        (
            "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố, các đoàn thể chính trị - xã hội",
            ["Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố", "các đoàn thể chính trị - xã hội"],
        ),
        ("", []),
    ],
)  # fmt: skip
def test_split_agencies(cell, agencies):
    assert split_agencies(cell) == agencies


@given(st.text(max_size=120))
def test_split_agencies_never_fails_and_loses_no_agency_head(text):
    parts = split_agencies(text)
    assert all(part.strip() for part in parts)


def test_the_agency_that_leads_is_the_one_that_chu_tri():
    roles = assign_roles(
        "Ban Tuyên giáo Thành ủy chỉ đạo, Sở Thông tin và Truyền thông chủ trì",
        "Các Sở, ngành, đơn vị liên quan",
    )
    assert roles.lead == "Sở Thông tin và Truyền thông"
    assert roles.directed_by == ["Ban Tuyên giáo Thành ủy"]
    assert roles.coordinators == ["Các Sở, ngành, đơn vị liên quan"]
    assert roles.warnings == []


@pytest.mark.parametrize(
    ("lead_cell", "lead", "coordinators", "warns"),
    [
        ("Sở Nội vụ", "Sở Nội vụ", [], False),
        ("Sở Nội vụ (chủ trì)", "Sở Nội vụ", [], False),
        ("Sở Tài chính phối hợp, Sở Nội vụ chủ trì", "Sở Nội vụ", ["Sở Tài chính"], False),
        ("Sở Nội vụ, Sở Tài chính", "Sở Nội vụ", ["Sở Tài chính"], True),
        ("Đề nghị Ban Tuyên giáo Thành ủy", "Ban Tuyên giáo Thành ủy", [], False),
        ("Các Sở, ngành, địa phương", "Các Sở, ngành, địa phương", [], False),
        ("Các sở, ban, ngành, UBND các xã, phường", "Các sở, ban, ngành, UBND các xã, phường",
         [], False),
    ],
)  # fmt: skip
def test_assign_roles(lead_cell, lead, coordinators, warns):
    roles = assign_roles(lead_cell)
    assert (roles.lead, roles.coordinators, bool(roles.warnings)) == (lead, coordinators, warns)


def test_a_request_is_marked():
    assert assign_roles("Đề nghị Ban Tuyên giáo Thành ủy").requested is True
    assert assign_roles("Sở Nội vụ").requested is False


@pytest.mark.parametrize(
    ("phrase", "kinds"),
    [
        ("Các Sở, ngành", (GROUP_DEPARTMENTS,)),
        ("các sở, ban, ngành", (GROUP_DEPARTMENTS,)),
        ("Các Sở, ngành, đơn vị liên quan", (GROUP_DEPARTMENTS, GROUP_RELATED)),
        ("UBND các quận, huyện, thị xã", (GROUP_LOCALITIES,)),
        ("Ủy ban nhân dân các xã, phường", (GROUP_LOCALITIES,)),
        ("các xã, phường", (GROUP_LOCALITIES,)),
        ("các địa phương", (GROUP_LOCALITIES,)),
        ("các đơn vị liên quan", (GROUP_RELATED,)),
        ("Các Sở, ngành, địa phương", (GROUP_DEPARTMENTS, GROUP_LOCALITIES)),
        ("các đoàn thể chính trị - xã hội", (GROUP_RELATED,)),
        ("Sở Nội vụ", ()),
        ("Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội", ()),
        ("UBND Thành phố", ()),
        ("Ủy ban nhân dân xã Hòa Lạc", ()),
    ],
)
def test_group_kinds(phrase, kinds):
    assert group_kinds(phrase) == kinds


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở KHCN", "Sở Khoa học và Công nghệ"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở LĐTB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở VH&TT", "Sở Văn hóa và Thể thao"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("LHHKH&KT", "Liên hiệp các Hội Khoa học và Kỹ thuật"),
        ("UBND TP", "Ủy ban nhân dân Thành phố"),
        ("Sở Văn hoá và Thể thao", "Sở Văn hóa và Thể thao"),
        ("SỞ NỘI VỤ", "Sở Nội vụ"),
    ],
)
def test_abbreviations_and_spellings_give_the_same_key(a, b):
    assert agency_key(a) == agency_key(b)


def test_tu_phap_is_not_read_as_an_abbreviation():
    assert agency_key("Sở Tư pháp") == "so tu phap"


# ---- matching against the Hà Nội demo tree ----------------------------------------------------


@pytest.fixture(scope="module")
def demo_tree() -> list[tuple[int, str, str, str]]:
    tree = json.loads((DATA_DIR / "demo_hanoi.json").read_text(encoding="utf-8"))
    rows = [
        (i, spec["code"], spec["name"], spec["short_name"])
        for i, spec in enumerate(tree["organizations"], start=1)
    ]
    for j, name in enumerate(tree["communes"]["names"], start=len(rows) + 1):
        kind, _sep, place = name.partition(" ")
        rows.append((j, f"XP{j}", f"Ủy ban nhân dân {kind.lower()} {place}", f"UBND {place}"))
    return rows


@pytest.fixture(scope="module")
def matcher(demo_tree):
    return AgencyMatcher(demo_tree)


@pytest.mark.parametrize(
    ("text", "code", "how"),
    [
        ("Sở Nội vụ", "SNV", "exact"),
        ("Sở Khoa học và Công nghệ", "SKHCN", "exact"),
        ("Sở KH&CN", "SKHCN", "abbreviation"),
        ("Sở KHCN", "SKHCN", "abbreviation"),
        ("SKHCN", "SKHCN", "code"),
        ("so khoa hoc va cong nghe", "SKHCN", "accent"),
        ("Sở Văn hoá và Thể thao", "SVHTT", "exact"),
        ("Sở GD&ĐT", "SGDDT", "abbreviation"),
        ("UBND Thành phố", "UBND", "abbreviation"),
        ("Ủy ban nhân dân thành phố Hà Nội", "UBND", "exact"),
        ("Văn phòng UBND Thành phố", "VPUB", "abbreviation"),
        ("Sở Nội vụ thành phố Hà Nội", "SNV", "locality"),
        ("Sở Tài chính TP Hà Nội", "STC", "locality"),
        ("Liên hiệp các Hội Khoa học và Kỹ thuật Hà Nội", "LHHHN", "exact"),
        ("LHHKH&KT", "LHHHN", "locality"),
        ("Liên hiệp các Hội KH&KT Hà Nội", "LHHHN", "abbreviation"),
        ("Trường Đào tạo Cán bộ Lê Hồng Phong", "TLHP", "exact"),
        ("Trường Đại học Thủ đô Hà Nội", "DHTDHN", "exact"),
        ("Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội", "VNCPT", "exact"),
        ("Hội Liên hiệp Văn học nghệ thuật Hà Nội", "VHNTHN", "exact"),
        ("Sở Khoa học Công nghệ", "SKHCN", "fuzzy"),
        ("Sở Nội vụ chủ trì", "SNV", "exact"),
    ],
)
def test_match_to_the_demo_tree(matcher, text, code, how):
    match = matcher.match(text)
    assert (match.status, match.code, match.how) == (MATCHED, code, how)
    assert 0 < match.score <= 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sở Thông tin và Truyền thông", "SKHCN"),
        ("Sở TT&TT", "SKHCN"),
        ("Sở Kế hoạch và Đầu tư", "STC"),
        ("Sở Tài nguyên và Môi trường", "SNNMT"),
        ("Ban Tuyên giáo Thành ủy", "TU-BTGDV"),
        ("Sở LĐTB&XH", "SNV"),
    ],
)
def test_merged_agencies_are_proposed_to_their_successor_for_review(matcher, text, code):
    match = matcher.match(text)
    assert (match.status, match.code, match.how) == (MATCHED, code, "successor")
    assert match.needs_review
    assert "hợp nhất" in match.note


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Các Sở, ngành, đơn vị liên quan", (GROUP_DEPARTMENTS, GROUP_RELATED)),
        ("Các Sở, ngành, địa phương", (GROUP_DEPARTMENTS, GROUP_LOCALITIES)),
        ("UBND các quận, huyện, thị xã", (GROUP_LOCALITIES,)),
    ],
)
def test_groups_are_not_matched_to_one_organisation(matcher, text, groups):
    match = matcher.match(text)
    assert (match.status, match.groups, match.organization_id) == (GROUP, groups, None)
    assert not match.needs_review


def test_unknown_agencies_are_left_for_review_with_candidates(matcher):
    high_tech = matcher.match("Ban Quản lý Khu Công nghệ cao Hòa Lạc")
    assert high_tech.status == UNMATCHED
    assert high_tech.needs_review
    assert high_tech.candidates
    assert len(high_tech.candidates) <= 3
    assert "Ban Quản lý các khu công nghiệp và chế xuất Hà Nội" in [
        c.name for c in high_tech.candidates
    ]
    bank = matcher.match("Ngân hàng nhà nước Việt Nam chi nhánh Hà Nội")
    assert bank.status == UNMATCHED
    assert bank.to_dict()["needs_review"] is True
    assert "Không tìm thấy" in bank.note


def test_a_commune_is_matched_by_its_short_name(matcher):
    match = matcher.match("UBND phường Hoàn Kiếm")
    assert match.status == MATCHED
    assert match.name == "Ủy ban nhân dân phường Hoàn Kiếm"


def test_same_name_twice_is_ambiguous():
    matcher = AgencyMatcher([(1, "SNV-HN", "Sở Nội vụ", ""), (2, "SNV-HP", "Sở Nội vụ", "")])
    match = matcher.match("Sở Nội vụ")
    assert match.status == UNMATCHED
    assert {c.organization_id for c in match.candidates} == {1, 2}


def test_an_empty_matcher_matches_nothing():
    match = AgencyMatcher([]).match("Sở Nội vụ")
    assert match.status == UNMATCHED
    assert match.candidates == ()


@pytest.mark.django_db
def test_matcher_on_the_seeded_demo_tree():
    from trithuc.organizations.data import load_administrative_units
    from trithuc.organizations.management.commands.seed_demo import Seeder
    from trithuc.organizations.models import AdministrativeUnit

    if not AdministrativeUnit.objects.filter(code="01").exists():
        load_administrative_units(AdministrativeUnit)
    organizations = Seeder().organizations()
    matcher = AgencyMatcher.from_database()
    assert len(matcher) == len(organizations)
    assert matcher.match("Sở KH&CN").organization_id == organizations["SKHCN"].pk
    assert matcher.match("Sở Nội vụ").organization_id == organizations["SNV"].pk
    assert matcher.match("UBND Thành phố").organization_id == organizations["UBND"].pk
    assert matcher.match("UBND các quận, huyện, thị xã").status == GROUP
    assert matcher.match("Sở Thông tin và Truyền thông").code == "SKHCN"


def test_a_cell_with_role_labels():
    roles = assign_roles("Chủ trì: Sở Nội vụ; Phối hợp: Sở Tài chính, Sở Khoa học và Công nghệ")
    assert roles.lead == "Sở Nội vụ"
    assert roles.coordinators == ["Sở Tài chính", "Sở Khoa học và Công nghệ"]
    assert roles.warnings == []
