"""The 2025 administrative units, the legacy ones mapped to them, and the free-text resolver."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trithuc.core.text import fold
from trithuc.organizations.data import legacy_districts, legacy_provinces, load_administrative_units
from trithuc.organizations.models import AdministrativeUnit
from trithuc.organizations.selectors import (
    AdministrativeUnitIndex,
    administrative_unit_index,
    commune_by_name,
    resolve_administrative_unit,
)

# docs/DOMAIN.md, "Administrative units"
CURRENT_PROVINCES = {
    "01": "Hà Nội", "04": "Cao Bằng", "08": "Tuyên Quang", "11": "Điện Biên", "12": "Lai Châu",
    "14": "Sơn La", "15": "Lào Cai", "19": "Thái Nguyên", "20": "Lạng Sơn", "22": "Quảng Ninh",
    "24": "Bắc Ninh", "25": "Phú Thọ", "31": "Hải Phòng", "33": "Hưng Yên", "37": "Ninh Bình",
    "38": "Thanh Hóa", "40": "Nghệ An", "42": "Hà Tĩnh", "44": "Quảng Trị", "46": "Huế",
    "48": "Đà Nẵng", "51": "Quảng Ngãi", "52": "Gia Lai", "56": "Khánh Hòa", "66": "Đắk Lắk",
    "68": "Lâm Đồng", "75": "Đồng Nai", "79": "Hồ Chí Minh", "80": "Tây Ninh",
    "82": "Đồng Tháp", "86": "Vĩnh Long", "91": "An Giang", "92": "Cần Thơ", "96": "Cà Mau",
}  # fmt: skip


@pytest.fixture
def units(db):
    # A transactional test elsewhere may have flushed what the migration loaded.
    if not AdministrativeUnit.objects.exists():
        load_administrative_units(AdministrativeUnit)
    return AdministrativeUnit.objects


def current_provinces(units):
    return units.filter(level="province", is_legacy=False)


def test_the_2025_structure_has_34_provinces_with_their_nso_codes(units):
    provinces = current_provinces(units)
    assert provinces.count() == 34
    names = {p.code: p.name for p in provinces}
    assert set(names) == set(CURRENT_PROVINCES)
    for code, name in CURRENT_PROVINCES.items():
        assert fold(names[code]).endswith(fold(name)), code


def test_communes_are_five_digit_codes_under_a_current_province(units):
    communes = units.filter(level="commune")
    assert 3200 < communes.count() < 3400
    assert not communes.filter(is_legacy=True).exists()
    assert not communes.filter(parent__isnull=True).exists()
    assert not communes.exclude(parent__level="province", parent__is_legacy=False).exists()
    assert all(re.fullmatch(r"\d{5}", c) for c in communes.values_list("code", flat=True))
    assert all(
        re.fullmatch(r"\d{2}", c) for c in current_provinces(units).values_list("code", flat=True)
    )


def test_ha_noi_has_more_than_100_communes_and_wards(units):
    ha_noi = units.get(code="01")
    assert ha_noi.children.filter(level="commune").count() > 100
    ward = units.get(code="00070")
    assert ward.name == "Phường Hoàn Kiếm"
    assert ward.parent == ha_noi
    assert ward.division_type == "phường"


def test_every_name_is_folded(units):
    assert not units.filter(folded_name="").exists()
    sample = units.filter(code__in=["01", "00070", "L17", "L005"])
    assert {u.code: u.folded_name for u in sample} == {
        "01": "thanh pho ha noi",
        "00070": "phuong hoan kiem",
        "L17": "hoa binh",
        "L005": "quan cau giay",
    }


def test_every_legacy_province_has_a_current_successor(units):
    legacy = units.filter(level="province", is_legacy=True).select_related("successor")
    assert legacy.count() == 63
    for province in legacy:
        assert re.fullmatch(r"L\d{2}", province.code)
        assert province.successor is not None, province.name
        assert not province.successor.is_legacy
        assert province.successor.level == "province"
        assert province.current == province.successor


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("L02", "08"),  # Hà Giang -> Tuyên Quang
        ("L30", "31"),  # Hải Dương -> Hải Phòng
        ("L24", "24"),  # Bắc Giang -> Bắc Ninh
        ("L27", "24"),  # Bắc Ninh (old code 27) -> Bắc Ninh
        ("L26", "25"),  # Vĩnh Phúc -> Phú Thọ
        ("L17", "25"),  # Hòa Bình -> Phú Thọ
        ("L34", "33"),  # Thái Bình -> Hưng Yên
        ("L35", "37"),  # Hà Nam -> Ninh Bình
        ("L36", "37"),  # Nam Định -> Ninh Bình
        ("L44", "44"),  # Quảng Bình -> Quảng Trị
        ("L45", "44"),  # Quảng Trị (old code 45) -> Quảng Trị
        ("L46", "46"),  # Huế
        ("L49", "48"),  # Quảng Nam -> Đà Nẵng
        ("L62", "51"),  # Kon Tum -> Quảng Ngãi
        ("L52", "52"),  # Bình Định -> Gia Lai
        ("L64", "52"),  # Gia Lai (old code 64) -> Gia Lai
        ("L58", "56"),  # Ninh Thuận -> Khánh Hòa
        ("L54", "66"),  # Phú Yên -> Đắk Lắk
        ("L67", "68"),  # Đắk Nông -> Lâm Đồng
        ("L60", "68"),  # Bình Thuận -> Lâm Đồng
        ("L70", "75"),  # Bình Phước -> Đồng Nai
        ("L74", "79"),  # Bình Dương -> Hồ Chí Minh
        ("L77", "79"),  # Bà Rịa - Vũng Tàu -> Hồ Chí Minh
        ("L80", "80"),  # Long An -> Tây Ninh
        ("L72", "80"),  # Tây Ninh (old code 72) -> Tây Ninh
        ("L82", "82"),  # Tiền Giang -> Đồng Tháp
        ("L87", "82"),  # Đồng Tháp (old code 87) -> Đồng Tháp
        ("L83", "86"),  # Bến Tre -> Vĩnh Long
        ("L84", "86"),  # Trà Vinh -> Vĩnh Long
        ("L91", "91"),  # Kiên Giang -> An Giang
        ("L89", "91"),  # An Giang (old code 89) -> An Giang
        ("L93", "92"),  # Hậu Giang -> Cần Thơ
        ("L94", "92"),  # Sóc Trăng -> Cần Thơ
        ("L95", "96"),  # Bạc Liêu -> Cà Mau
        ("L15", "15"),  # Yên Bái -> Lào Cai
        ("L10", "15"),  # Lào Cai (old code 10) -> Lào Cai
        ("L06", "19"),  # Bắc Kạn -> Thái Nguyên
        ("L01", "01"),  # Hà Nội kept its name and territory
    ],
)
def test_legacy_province_successors_follow_resolution_202(units, old, new):
    assert units.get(code=old).successor.code == new


def test_the_merge_mapping_lives_in_the_data_file():
    rows = legacy_provinces()
    assert len(rows) == 63
    assert {row.new_code for row in rows} == set(CURRENT_PROVINCES)
    assert len(legacy_districts()) > 650


def test_legacy_districts_hang_under_their_old_province_and_map_to_the_new_one(units):
    districts = units.filter(level="district").select_related("parent", "successor")
    assert 650 < districts.count() < 750
    assert not districts.filter(is_legacy=False).exists()
    for district in districts:
        assert re.fullmatch(r"L\d{3}", district.code)
        assert district.parent.is_legacy and district.parent.level == "province"
        assert district.successor == district.parent.successor
    cau_giay = units.get(code="L005")
    assert (cau_giay.name, cau_giay.division_type, cau_giay.current.code) == (
        "Quận Cầu Giấy",
        "quận",
        "01",
    )


def test_loading_again_creates_nothing(units):
    before = units.count()
    assert load_administrative_units(AdministrativeUnit) == 0
    assert units.count() == before


@pytest.mark.parametrize(
    ("text", "unit", "current"),
    [
        ("Hà Giang", "L02", "08"),
        ("HÀ GIANG", "L02", "08"),
        ("ha giang", "L02", "08"),
        ("tỉnh Hải Dương", "L30", "31"),
        ("Tỉnh Hải Dương, Việt Nam", "L30", "31"),
        ("quận Cầu Giấy", "L005", "01"),
        ("Q. Cầu Giấy, Hà Nội", "L005", "01"),
        ("Cầu Giấy - Hà Nội", "L005", "01"),
        ("TP HCM", "79", "79"),
        ("TP.HCM", "79", "79"),
        ("Sài Gòn", "79", "79"),
        ("Quận 1, TP. Hồ Chí Minh", "L760", "79"),
        ("Thừa Thiên - Huế", "46", "46"),
        ("Thừa Thiên Huế", "46", "46"),
        ("Hà Nội", "01", "01"),
        ("Thành phố Hà Nội", "01", "01"),
        ("Bắc Ninh", "24", "24"),
        ("Hoà Bình", "L17", "25"),
        ("Phường Hoàn Kiếm", "00070", "00070"),
        ("phường Hoàn Kiếm, Hà Nội", "00070", "00070"),
        ("Thành phố Thái Nguyên", "L164", "19"),
        ("huyện Châu Thành, Tiền Giang", "L821", "82"),
        ("Bà Rịa - Vũng Tàu", "L77", "79"),
        ("01", "01", "01"),
        ("L02", "L02", "08"),
        ("00070", "00070", "00070"),
        ("70", "00070", "00070"),
        ("Số 5 Tràng Tiền, Hà Nội", "01", "01"),
    ],
)
def test_resolver_maps_old_names_to_the_current_unit(units, text, unit, current):
    result = resolve_administrative_unit(text)
    assert result, text
    assert (result.unit.code, result.current.code) == (unit, current)


def test_an_ambiguous_district_needs_its_province(units):
    result = resolve_administrative_unit("huyện Châu Thành")
    assert result.unit is None and not result
    assert result.ambiguous
    assert len(result.candidates) >= 5
    assert {c.level for c in result.candidates} == {"district"}
    provinces = {c.parent.name for c in result.candidates}
    assert {"Tiền Giang", "Bến Tre", "Trà Vinh"} <= provinces

    decided = resolve_administrative_unit("huyện Châu Thành, Bến Tre")
    assert decided.unit.parent.name == "Bến Tre"
    assert decided.current.code == "86"


def test_unknown_or_empty_text_resolves_to_nothing(units):
    for text in ["", "   ", "Atlantis", "Quận Không Tồn Tại", "99"]:
        result = resolve_administrative_unit(text)
        assert result.unit is None, text
        assert result.candidates == ()


def test_commune_lookup_by_name_within_a_province(units):
    ward = commune_by_name("phường cầu giấy", province_code="01")
    assert ward is not None and ward.parent.code == "01"
    assert commune_by_name("Phường Cầu Giấy", province_code="79") is None


def test_an_index_resolves_many_texts_without_queries(units, django_assert_num_queries):
    index = administrative_unit_index()
    with django_assert_num_queries(0):
        for text in ["Hà Giang", "quận Cầu Giấy", "TP HCM", "Châu Thành"] * 50:
            result = resolve_administrative_unit(text, index=index)
            if result.unit is not None:
                str(result.unit)
                assert result.current is not None


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=60))
def test_resolver_never_fails_on_arbitrary_text(units, text):
    index = _shared_index(units)
    result = resolve_administrative_unit(text, index=index)
    if result.unit is not None:
        assert result.current is not None and not result.current.is_legacy


_INDEX: list[AdministrativeUnitIndex] = []


def _shared_index(units) -> AdministrativeUnitIndex:
    if not _INDEX:
        _INDEX.append(AdministrativeUnitIndex(units.all()))
    return _INDEX[0]
