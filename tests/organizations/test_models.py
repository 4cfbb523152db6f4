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


def test_two_moves_validated_together_cannot_make_a_cycle(tree):
    # Both forms validated against the tree before either was saved.
    x, y = tree["unit_a1"], tree["unit_b1"]
    x_stale = Organization.objects.get(pk=x.pk)
    y_stale = Organization.objects.get(pk=y.pk)
    x_stale.parent = y
    x_stale.full_clean()
    y_stale.parent = x
    y_stale.full_clean()
    x_stale.save()
    with pytest.raises(ValidationError):
        y_stale.save()
    y.refresh_from_db()
    assert y.parent == tree["dept_b"]


def test_a_child_added_under_a_stale_parent_gets_the_parent_s_current_path(tree):
    stale_parent = Organization.objects.get(pk=tree["unit_a1"].pk)
    moved = Organization.objects.get(pk=tree["dept_a"].pk)
    moved.parent = tree["dept_b"]
    moved.save()
    child = Organization.objects.create(code="C", name="Tổ C", type="other", parent=stale_parent)
    assert child.path.startswith(tree["dept_b"].path)
    assert child.path.startswith(Organization.objects.get(pk=tree["unit_a1"].pk).path)


def test_depth_is_limited_with_a_vietnamese_message(tree):
    from trithuc.organizations.models import MAX_DEPTH

    parent = tree["unit_a1"]  # depth 2
    for _ in range(MAX_DEPTH - 3):
        parent = OrganizationFactory(parent=parent)
    assert parent.depth == MAX_DEPTH - 1
    too_deep = Organization(code="DEEP", name="Sâu quá", type="other", parent=parent)
    with pytest.raises(ValidationError) as exc:
        too_deep.full_clean()
    assert "tối đa" in str(exc.value)
    with pytest.raises(ValidationError):
        too_deep.save()
    # Moving a subtree so that its leaves would pass the limit is refused too.
    dept_b = tree["dept_b"]
    dept_b.parent = tree["unit_a1"]
    dept_b.save()  # fine: 4 levels
    deep_leaf_parent = Organization.objects.get(pk=parent.parent_id)
    tree["dept_b"].refresh_from_db()
    assert tree["dept_b"].parent_error(deep_leaf_parent) is not None
