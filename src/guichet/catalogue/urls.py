from django.urls import path

from guichet.catalogue import agent_views, views, vocabulary_views

app_name = "catalogue"
urlpatterns = [
    # Residents (and everybody).
    path("demarches/", views.index, name="index"),
    path("recherche/suggestions/", views.suggestions, name="suggestions"),
    path("recherche/journal/", views.search_log, name="search_log"),
    path("recherche/<uuid:search_id>/<slug:slug>/", views.search_click, name="search_click"),
    path("demarches/<slug:slug>/", views.procedure, name="procedure"),
    path("evenements/<slug:slug>/", views.life_event, name="life_event"),
    # Agents.
    path("agents/catalogue/", agent_views.agent_index, name="agent_index"),
    path("agents/catalogue/a-revoir/", agent_views.review_list, name="review_list"),
    path(
        "agents/catalogue/resultat/<uuid:search_id>/<slug:slug>/",
        agent_views.agent_search_click,
        name="agent_search_click",
    ),
    path("agents/catalogue/nouvelle-fiche/", agent_views.article_create, name="article_create"),
    path(
        "agents/catalogue/demarches/<slug:slug>/",
        agent_views.agent_procedure,
        name="agent_procedure",
    ),
    path(
        "agents/catalogue/demarches/<slug:slug>/modifier/",
        agent_views.procedure_edit,
        name="procedure_edit",
    ),
    path(
        "agents/catalogue/demarches/<slug:slug>/historique/",
        agent_views.procedure_history,
        name="procedure_history",
    ),
    path(
        "agents/catalogue/demarches/<slug:slug>/relue/",
        agent_views.procedure_reviewed,
        name="procedure_reviewed",
    ),
    path(
        "agents/catalogue/recherches/",
        vocabulary_views.unhelpful_searches,
        name="unhelpful_searches",
    ),
    path(
        "agents/catalogue/vocabulaire/",
        vocabulary_views.vocabulary_list,
        name="vocabulary_list",
    ),
    path(
        "agents/catalogue/vocabulaire/ajouter/",
        vocabulary_views.vocabulary_create,
        name="vocabulary_create",
    ),
    path(
        "agents/catalogue/vocabulaire/historique/",
        vocabulary_views.vocabulary_history,
        name="vocabulary_history",
    ),
    path(
        "agents/catalogue/vocabulaire/<int:entry_id>/modifier/",
        vocabulary_views.vocabulary_edit,
        name="vocabulary_edit",
    ),
    path(
        "agents/catalogue/vocabulaire/<int:entry_id>/supprimer/",
        vocabulary_views.vocabulary_delete,
        name="vocabulary_delete",
    ),
    path("agents/fiches/", agent_views.article_list, name="article_list"),
    path("agents/fiches/<slug:slug>/", agent_views.article, name="article"),
    path("agents/fiches/<slug:slug>/modifier/", agent_views.article_edit, name="article_edit"),
    path(
        "agents/fiches/<slug:slug>/historique/",
        agent_views.article_history,
        name="article_history",
    ),
    path("agents/fiches/<slug:slug>/relue/", agent_views.article_reviewed, name="article_reviewed"),
]
