from django.urls import path

from guichet.residents import api

urlpatterns = [
    path("residents/", api.ResidentListCreateView.as_view(), name="api-residents"),
    path(
        "residents/<uuid:resident_uuid>/",
        api.ResidentDetailView.as_view(),
        name="api-resident",
    ),
]
