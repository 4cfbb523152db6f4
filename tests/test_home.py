"""The home page."""


def test_home_counts_organisations_by_type_in_scope(tree, make_staff, client_for):
    response = client_for(make_staff("leader", tree["dept_a"])).get("/")
    assert response.context["organization_count"] == 2
    assert [(r["type"], r["n"]) for r in response.context["by_type"]] == [("department", 2)]
