from django.urls import path

from guichet.organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.index, name="index"),
]
