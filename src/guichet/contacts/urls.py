from django.urls import path

from guichet.contacts import views

app_name = "contacts"
urlpatterns = [
    path("callbacks/", views.callbacks, name="callbacks"),
    path("site_contacts/", views.site_contacts, name="site_contacts"),
]
