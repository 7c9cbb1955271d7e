from django.urls import path

from guichet.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("usagers/<uuid:uuid>/", views.resident, name="resident"),
]
