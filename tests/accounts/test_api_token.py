from django.urls import reverse
from rest_framework.test import APIClient

from trithuc.core.models import AuditEvent


def test_issue_use_rotate_and_revoke_a_token(tree, make_staff, client_for):
    officer = make_staff("hr_officer", tree["dept_a"])
    client = client_for(officer)
    issued = client.post(reverse("accounts:api_token"), {"action": "issue"})
    key = issued.context["new_key"]
    assert key in issued.content.decode()
    # The key is shown once: a later visit does not show it again.
    assert key not in client.get(reverse("accounts:api_token")).content.decode()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/organizations/").status_code == 200

    rotated = client.post(reverse("accounts:api_token"), {"action": "issue"}).context["new_key"]
    assert rotated != key
    assert api.get("/api/organizations/").status_code == 401

    client.post(reverse("accounts:api_token"), {"action": "revoke"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {rotated}")
    assert api.get("/api/organizations/").status_code == 401
    kinds = list(AuditEvent.objects.filter(actor=officer).values_list("kind", flat=True))
    assert kinds.count("token_issued") == 2
    assert "token_revoked" in kinds
