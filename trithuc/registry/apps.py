from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "trithuc.registry"
    label = "registry"
    verbose_name = _("Cơ sở dữ liệu trí thức")
