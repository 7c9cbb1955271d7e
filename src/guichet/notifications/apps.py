from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "guichet.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from guichet.notifications.message_templates import stored_templates
        from guichet.notifications.models import MessageTemplate

        stored_templates.forget_on_change(MessageTemplate)
