from django.urls import path

from guichet.catalogue import api

urlpatterns = [
    path("procedures/", api.ProcedureList.as_view(), name="api-procedure-list"),
    path("procedures/search/", api.ProcedureSearch.as_view(), name="api-procedure-search"),
    path("procedures/<slug:slug>/", api.ProcedureDetail.as_view(), name="api-procedure-detail"),
    path("articles/search/", api.ArticleSearch.as_view(), name="api-article-search"),
]
