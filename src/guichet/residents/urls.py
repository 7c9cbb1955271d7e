from django.urls import path

from guichet.residents import views

app_name = "residents"
urlpatterns = [
    path("nouveau/", views.create, name="create"),
    path("<uuid:resident_uuid>/modifier/", views.edit, name="edit"),
    path("<uuid:resident_uuid>/foyers/", views.households, name="households"),
    path(
        "<uuid:resident_uuid>/foyers/<uuid:household_uuid>/ajouter/",
        views.household_member_add,
        name="household_member_add",
    ),
    path(
        "<uuid:resident_uuid>/foyers/<uuid:household_uuid>/retirer/<uuid:member_uuid>/",
        views.household_member_remove,
        name="household_member_remove",
    ),
    path("<uuid:resident_uuid>/pieces/ajouter/", views.document_add, name="document_add"),
    path("<uuid:resident_uuid>/fusionner/", views.merge, name="merge"),
    path("pieces/<uuid:document_uuid>/", views.document_download, name="document_download"),
    path("pieces/<uuid:document_uuid>/verifier/", views.document_verify, name="document_verify"),
]
