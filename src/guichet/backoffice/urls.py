from django.urls import path

from guichet.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("recherche/suggestions/", views.suggestions, name="suggestions"),
    path("recherche/journal/", views.search_log, name="search_log"),
    path("usagers/<uuid:uuid>/", views.resident, name="resident"),
]
