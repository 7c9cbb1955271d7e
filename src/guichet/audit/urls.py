from django.urls import path

from guichet.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.access_log, name="access_log"),
]
