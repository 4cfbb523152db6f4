from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/report/", views.TaskReportView.as_view(), name="task_report"),
    path("reports/<int:pk>/review/", views.ReportReviewView.as_view(), name="report_review"),
    path("reports/<int:pk>/evidence/", views.ReportEvidenceView.as_view(), name="report_evidence"),
]
