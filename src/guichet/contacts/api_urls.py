from django.urls import path

from guichet.contacts import api

urlpatterns = [
    path("contacts/", api.ContactCreateView.as_view(), name="api-contact-create"),
    path(
        "residents/<uuid:resident_uuid>/contacts/",
        api.ResidentContactsView.as_view(),
        name="api-resident-contacts",
    ),
]
