from django.urls import path

from guichet.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.site_contacts, name="site_contacts"),
    path("nouveau/", views.log, name="log"),
    path("rappels/", views.callbacks, name="callbacks"),
    path("<uuid:contact_uuid>/", views.detail, name="detail"),
    path("<uuid:contact_uuid>/rattacher/", views.attach, name="attach"),
    path("<uuid:contact_uuid>/rappel/fait/", views.callback_done, name="callback_done"),
    path(
        "<uuid:contact_uuid>/rappel/reattribuer/", views.callback_reassign, name="callback_reassign"
    ),
]
