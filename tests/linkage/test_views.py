"""The review pages: the queue, the two people side by side, merge, not the same, undo, the
search as a job; what a steward of another department sees."""

import pytest
from django.urls import reverse

from trithuc.core.models import Job
from trithuc.linkage import services
from trithuc.linkage.models import CandidatePair, LinkRun, Merge
from trithuc.registry.models import Person

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def linked(people, steward):
    services.run_linkage(threshold=0.8, acting_user=steward)
    low, high = sorted((people.khue_a.pk, people.khue_b.pk))
    return CandidatePair.objects.get(person_a_id=low, person_b_id=high)


def test_the_queue_lists_pairs_most_likely_first(client_for, steward, linked, people):
    response = client_for(steward).get(reverse("linkage:queue"))
    assert response.status_code == 200
    pairs = list(response.context["object_list"])
    assert linked in pairs
    assert [p.probability for p in pairs] == sorted((p.probability for p in pairs), reverse=True)
    html = response.content.decode()
    assert "Tran Thi Hoa Khue" in html and "Tìm hồ sơ trùng" in html


def test_the_queue_reads_a_fixed_number_of_queries(
    client_for, steward, linked, django_assert_max_num_queries
):
    client = client_for(steward)
    client.get(reverse("linkage:queue"))
    with django_assert_max_num_queries(12):
        client.get(reverse("linkage:queue"))


def test_the_pair_page_puts_the_two_side_by_side_with_what_agreed(client_for, steward, linked):
    response = client_for(steward).get(reverse("linkage:pair_detail", args=[linked.pk]))
    assert response.status_code == 200
    rows = {row["key"]: row for row in response.context["rows"]}
    assert rows["full_name"]["agreement"]["status"] == "agree"
    assert str(rows["birth"]["agreement"]["detail"]) == "ngày và tháng bị đảo"
    assert {rows["birth"]["a"], rows["birth"]["b"]} == {"05/03/1981", "03/05/1981"}
    html = response.content.decode()
    # Agreement is said in words with an icon, not by colour alone.
    assert "Gần khớp" in html and "bi-circle-half" in html
    assert "Hợp nhất hai hồ sơ" in html and "Không phải cùng một người" in html


def test_merge_then_undo_through_the_pages(client_for, steward, linked, people):
    client = client_for(steward)
    a, b = people.khue_a, people.khue_b
    response = client.post(
        reverse("linkage:pair_merge", args=[linked.pk]),
        {"survivor": a.pk, "field_phone": b.pk, "field_full_name": a.pk},
    )
    merge = Merge.objects.get()
    assert response.status_code == 302 and response["Location"] == merge.get_absolute_url()
    assert merge.survivor == a and merge.absorbed_pk == b.pk
    assert merge.choices["phone"] == "absorbed" and merge.choices["full_name"] == "survivor"
    assert not Person.objects.filter(pk=b.pk).exists()
    page = client.get(merge.get_absolute_url())
    assert "Hoàn tác hợp nhất" in page.content.decode()
    response = client.post(reverse("linkage:merge_undo", args=[merge.pk]))
    assert response.status_code == 302
    assert Person.objects.filter(pk=b.pk).exists()
    merge.refresh_from_db()
    assert merge.undone_at is not None


def test_not_the_same_person_through_the_page(client_for, steward, linked):
    response = client_for(steward).post(reverse("linkage:pair_not_same", args=[linked.pk]))
    assert response.status_code == 302
    linked.refresh_from_db()
    assert linked.status == "not_same"
    queue = client_for(steward).get(reverse("linkage:queue"))
    assert linked not in list(queue.context["object_list"])


def test_a_steward_of_another_department_cannot_reach_the_pair(
    client_for, make_staff, tree, linked
):
    other = make_staff("data_steward", tree["dept_b"])
    client = client_for(other)
    assert client.get(reverse("linkage:pair_detail", args=[linked.pk])).status_code == 404
    assert client.post(reverse("linkage:pair_merge", args=[linked.pk])).status_code == 404
    assert linked not in list(client.get(reverse("linkage:queue")).context["object_list"])
    # Nor may they start a search over the whole city.
    assert client.post(reverse("linkage:run")).status_code == 403


def test_an_hr_officer_has_no_queue(client_for, make_staff, tree):
    hr = make_staff("hr_officer", tree["dept_a"])
    assert client_for(hr).get(reverse("linkage:queue")).status_code == 403


def test_the_search_runs_as_a_job(client_for, steward, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(steward).post(reverse("linkage:run"), {"threshold": "0,9"})
    job = Job.objects.get(kind="link_people")
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert job.result["next_url"] == reverse("linkage:queue")
    assert LinkRun.objects.get().threshold == 0.9
    assert CandidatePair.objects.exists()


def test_a_bad_threshold_says_what_to_type(client_for, steward, people):
    response = client_for(steward).post(reverse("linkage:run"), {"threshold": "cao"}, follow=True)
    assert "Ngưỡng xác suất phải là một số" in response.content.decode()
    assert not Job.objects.exists()
