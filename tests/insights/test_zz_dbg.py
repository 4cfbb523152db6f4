import pytest
from django.utils import timezone
from trithuc.insights import report
from trithuc.registry.demo import seed_people
from trithuc.registry.models import Person
pytestmark = pytest.mark.django_db
def test_dbg(tree, make_staff):
    seed_people(50, organizations=[tree["dept_a"]], seed=11)
    h = Person.history.model.objects.order_by("history_date").values_list("history_date", flat=True)[:3]
    print("HIST", list(h), Person.history.model.objects.count())
    d = report.yearly_report(make_staff("data_steward", tree["city"]), as_of=timezone.localdate(), filters={"sector": "public_service"})
    print("TOTALS", d.total, d.previous_total, d.previous_known)
