from django.urls import path

from guichet.residents import views

app_name = "residents"
urlpatterns = [
    path("create/", views.create, name="create"),
]
