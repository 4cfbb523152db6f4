from django.urls import path

from . import views, views_import

app_name = "organizations"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization_list"),
    path("add/", views.OrganizationEditView.as_view(), name="organization_add"),
    path("export/", views.OrganizationExportView.as_view(), name="organization_export"),
    path("suggestions/", views.organization_suggestions, name="organization_suggestions"),
    path(
        "administrative-units/",
        views.administrative_unit_suggestions,
        name="administrative_unit_suggestions",
    ),
    path("import/", views_import.OrganizationImportView.as_view(), name="organization_import"),
    path(
        "import/template/",
        views_import.OrganizationImportTemplateView.as_view(),
        name="organization_import_template",
    ),
    path(
        "import/<slug:upload_id>/commit/",
        views_import.OrganizationImportCommitView.as_view(),
        name="organization_import_commit",
    ),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("<int:pk>/edit/", views.OrganizationEditView.as_view(), name="organization_edit"),
    path("<int:pk>/history/", views.OrganizationHistoryView.as_view(), name="organization_history"),
    path("<int:pk>/delete/", views.OrganizationDeleteView.as_view(), name="organization_delete"),
]
