from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "trithuc.insights"
    verbose_name = _("Thống kê, dự báo")
