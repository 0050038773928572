from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MybusinessConfig(AppConfig):
    name = "mybusiness"
    verbose_name = _("Partenaires et utilisateurs")

    def ready(self) -> None:
        from mybusiness import checks  # noqa: F401 (registers the start-up checks)
