from django.urls import path

from .views import pages

app_name = "core"

urlpatterns = [
    path("jobs/", pages.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", pages.JobDetailView.as_view(), name="job_detail"),
    path("audit/", pages.AuditEventListView.as_view(), name="audit_list"),
]
