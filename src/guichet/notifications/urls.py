from django.urls import path

from guichet.notifications import template_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<uuid:notification_uuid>/", views.detail, name="detail"),
    path("<uuid:notification_uuid>/renvoyer/", views.retry, name="retry"),
    path("<uuid:notification_uuid>/annuler/", views.cancel, name="cancel"),
    path("modeles/", template_views.template_list, name="templates"),
    path("modeles/<int:template_id>/", template_views.template_edit, name="template_edit"),
    path(
        "modeles/<int:template_id>/historique/",
        template_views.template_history,
        name="template_history",
    ),
    path(
        "modeles/<int:template_id>/retablir/",
        template_views.template_restore,
        name="template_restore",
    ),
]
