import pytest
from django.core.exceptions import ValidationError

from tests.factories import OrganizationFactory
from trithuc.organizations.models import Organization


def test_subtree_is_a_path_prefix(tree):
    subtree = set(tree["dept_a"].subtree().values_list("code", flat=True))
    assert subtree == {"DEPT_A", "UNIT_A1"}
    assert tree["unit_a1"].depth == 2
    assert [o.code for o in tree["unit_a1"].ancestors()] == ["CITY", "DEPT_A"]


def test_moving_an_organisation_moves_its_subtree_in_one_update(
    tree, django_assert_max_num_queries
):
    dept_a = tree["dept_a"]
    dept_a.parent = tree["dept_b"]
    dept_a.save()
    unit = Organization.objects.get(code="UNIT_A1")
    assert unit.path.startswith(tree["dept_b"].path)
    assert unit.depth == 3
    assert set(tree["dept_b"].subtree().values_list("code", flat=True)) == {
        "DEPT_B",
        "UNIT_B1",
        "DEPT_A",
        "UNIT_A1",
    }


def test_cycle_is_refused_with_a_vietnamese_message(tree):
    dept_a = tree["dept_a"]
    dept_a.parent = tree["unit_a1"]
    with pytest.raises(ValidationError) as exc:
        dept_a.full_clean()
    assert "vòng lặp" in str(exc.value.message_dict["parent"])


def test_own_parent_is_refused(tree):
    dept_a = tree["dept_a"]
    dept_a.parent = dept_a
    with pytest.raises(ValidationError):
        dept_a.full_clean()


def test_delete_blockers_name_children_and_members(tree, make_staff):
    make_staff("hr_officer", tree["unit_a1"])
    blockers = tree["dept_a"].delete_blockers()
    assert any("trực thuộc" in b for b in blockers)
    assert any("vai trò" in b for b in tree["unit_a1"].delete_blockers())
    leaf = OrganizationFactory(parent=tree["dept_b"])
    assert leaf.delete_blockers() == []
