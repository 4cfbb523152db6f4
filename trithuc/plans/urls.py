from django.urls import path

from . import views, views_import, views_public, views_review

app_name = "plans"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("add/", views.DocumentEditView.as_view(), name="document_add"),
    path("import/", views_import.PlanImportView.as_view(), name="import"),
    path(
        "import/<str:upload_id>/",
        views_import.PlanImportReviewView.as_view(),
        name="import_review",
    ),
    # Public pages: "public/" is a literal, never read as a document's number by <int:pk>.
    path("public/", views_public.PublicDocumentListView.as_view(), name="public_list"),
    path(
        "public/<int:pk>/",
        views_public.PublicDocumentDetailView.as_view(),
        name="public_detail",
    ),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path(
        "<int:pk>/timeline/", views_public.DocumentTimelineView.as_view(), name="document_timeline"
    ),
    path("<int:pk>/review/", views_review.DocumentReviewView.as_view(), name="document_review"),
    path("<int:pk>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path("<int:document_pk>/tasks/add/", views.TaskEditView.as_view(), name="task_add"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path(
        "tasks/<int:pk>/cancel/",
        views.TaskActionView.as_view(),
        {"verb": "cancel"},
        name="task_cancel",
    ),
    path(
        "tasks/<int:pk>/restore/",
        views.TaskActionView.as_view(),
        {"verb": "restore"},
        name="task_restore",
    ),
    path(
        "tasks/<int:pk>/confirm/",
        views.TaskActionView.as_view(),
        {"verb": "confirm"},
        name="task_confirm",
    ),
    path("tasks/<int:pk>/report/", views.TaskReportView.as_view(), name="task_report"),
    path("reports/<int:pk>/review/", views.ReportReviewView.as_view(), name="report_review"),
    path("evidence/<int:pk>/", views.ReportEvidenceView.as_view(), name="report_evidence"),
]
