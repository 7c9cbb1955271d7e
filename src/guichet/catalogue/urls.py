from django.urls import path

from guichet.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("demarches/", views.index, name="index"),
    path("agents/catalogue/", views.agent_index, name="agent_index"),
    path("demarches/<slug:slug>/", views.procedure, name="procedure"),
    path("evenements/<slug:slug>/", views.life_event, name="life_event"),
    path("agents/fiches/<slug:slug>/", views.article, name="article"),
]
