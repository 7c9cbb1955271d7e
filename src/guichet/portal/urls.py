from django.urls import include, path

from guichet.portal import space_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("compte/", include("guichet.portal.accounts.urls")),
    path("mon-espace/", space_views.my_space, name="my_space"),
    path("mon-espace/pieces/<uuid:document_uuid>/", space_views.my_document, name="my_document"),
]
