from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("crosstab/", views.CrossTabView.as_view(), name="crosstab"),
]
