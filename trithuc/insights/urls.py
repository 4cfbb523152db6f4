from django.urls import path

from . import views, views_indicators, views_projection, views_public, views_report

app_name = "insights"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("trends/", views.DashboardTrendsView.as_view(), name="dashboard_trends"),
    path("crosstab/", views.CrossTabView.as_view(), name="crosstab"),
]

# KPI indicators of the action programme (views_indicators.py).
urlpatterns += [
    path("indicators/", views_indicators.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/add/", views_indicators.IndicatorEditView.as_view(), name="indicator_add"),
    path(
        "indicators/preview/",
        views_indicators.IndicatorPreviewView.as_view(),
        name="indicator_preview",
    ),
    path(
        "indicators/<int:pk>/",
        views_indicators.IndicatorDetailView.as_view(),
        name="indicator_detail",
    ),
    path(
        "indicators/<int:pk>/edit/",
        views_indicators.IndicatorEditView.as_view(),
        name="indicator_edit",
    ),
]

# Workforce projection: scenarios, their projection, comparison, .xlsx (views_projection.py).
urlpatterns += [
    path("scenarios/", views_projection.ScenarioListView.as_view(), name="scenario_list"),
    path("scenarios/add/", views_projection.ScenarioEditView.as_view(), name="scenario_add"),
    path(
        "scenarios/compare/",
        views_projection.ScenarioCompareView.as_view(),
        name="scenario_compare",
    ),
    path(
        "scenarios/<int:pk>/",
        views_projection.ScenarioDetailView.as_view(),
        name="scenario_detail",
    ),
    path(
        "scenarios/<int:pk>/edit/",
        views_projection.ScenarioEditView.as_view(),
        name="scenario_edit",
    ),
    path(
        "scenarios/<int:pk>/export/",
        views_projection.ScenarioExportView.as_view(),
        name="scenario_export",
    ),
]

# The public statistics page: anyone, no sign-in, small cells suppressed (views_public.py).
urlpatterns += [
    path("public/", views_public.PublicStatisticsView.as_view(), name="public"),
]

# The yearly statistical report: Word, Excel, PDF (views_report.py).
urlpatterns += [
    path("report/", views_report.ReportView.as_view(), name="report"),
]
