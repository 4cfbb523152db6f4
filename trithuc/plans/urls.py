from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
]
