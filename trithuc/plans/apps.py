from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "trithuc.plans"
    label = "plans"
    verbose_name = _("Theo dõi kế hoạch hành động")
