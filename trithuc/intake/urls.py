from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.BatchListView.as_view(), name="batch_list"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("template/", views.TemplateView.as_view(), name="template"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("<int:pk>/", views.BatchDetailView.as_view(), name="batch_detail"),
    path("<int:pk>/mapping/", views.BatchMappingView.as_view(), name="batch_mapping"),
    path("<int:pk>/commit/", views.BatchCommitView.as_view(), name="batch_commit"),
    path("<int:pk>/annotate/", views.BatchAnnotateView.as_view(), name="batch_annotate"),
    path("<int:pk>/annotated/", views.BatchAnnotatedView.as_view(), name="batch_annotated"),
]
