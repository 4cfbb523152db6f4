"""Errors a user can meet are Vietnamese pages inside the layout, never a bare server page."""


def test_404_is_a_vietnamese_page(tree, make_staff, client_for):
    response = client_for(make_staff("hr_officer", tree["dept_a"])).get("/organizations/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert "ngoài phạm vi" in html


def test_403_is_a_vietnamese_page(tree, make_staff, client_for):
    response = client_for(make_staff("leader", tree["city"])).get("/audit/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_500_page_is_self_contained(db):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Lỗi hệ thống" in html
    assert "{%" not in html


def test_csrf_failure_is_a_vietnamese_page(tree, make_staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("data_steward", tree["city"]))
    response = client.post("/organizations/add/", {"code": "X"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_malformed_json_gets_a_vietnamese_400(tree, make_staff):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(make_staff("data_steward", tree["city"]))
    response = api.post("/api/organizations/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "không phải JSON hợp lệ" in response.json()["detail"]
