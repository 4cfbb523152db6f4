from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "trithuc.intake"
    label = "intake"
    verbose_name = _("Nhập danh sách trí thức từ tệp")
