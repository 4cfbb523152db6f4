from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("add/", views.PersonEditView.as_view(), name="person_add"),
    path("export/", views.PersonExportView.as_view(), name="person_export"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path(
        "<int:pk>/edit/<slug:section>/",
        views.PersonSectionEditView.as_view(),
        name="person_section_edit",
    ),
    path("<int:pk>/sensitive/", views.PersonSensitiveView.as_view(), name="person_sensitive"),
    path("<int:pk>/photo/", views.PersonPhotoView.as_view(), name="person_photo"),
    path("<int:pk>/history/", views.PersonHistoryView.as_view(), name="person_history"),
    path(
        "<int:pk>/history/<int:history_id>/revert/",
        views.PersonRevertView.as_view(),
        name="person_revert",
    ),
    path(
        "<int:pk>/history/<slug:section>/<int:history_id>/revert/",
        views.PersonRecordRevertView.as_view(),
        name="person_record_revert",
    ),
    path("<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path("taxonomies/<slug:kind>/", views.TaxonomyListView.as_view(), name="taxonomy_list"),
    path("taxonomies/<slug:kind>/add/", views.TaxonomyEditView.as_view(), name="taxonomy_add"),
    path(
        "taxonomies/<slug:kind>/<int:pk>/edit/",
        views.TaxonomyEditView.as_view(),
        name="taxonomy_edit",
    ),
    path(
        "taxonomies/<slug:kind>/<int:pk>/history/",
        views.TaxonomyHistoryView.as_view(),
        name="taxonomy_history",
    ),
]
