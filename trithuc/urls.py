from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from trithuc.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("trithuc.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("organizations/", include("trithuc.organizations.urls")),
    path("people/", include("trithuc.registry.urls")),
    path("duplicates/", include("trithuc.linkage.urls")),
    path("people/import/", include("trithuc.intake.urls")),
    path("plans/", include("trithuc.plans.urls")),
    path("notifications/", include("trithuc.notifications.urls")),
    path("insights/", include("trithuc.insights.urls")),
    path("access/", include("trithuc.accounts.urls")),
    path("api/", include("trithuc.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
