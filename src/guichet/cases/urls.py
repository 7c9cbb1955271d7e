from django.urls import include, path

from guichet.cases import portal_views

app_name = "cases"
urlpatterns = [
    # Residents (and agents filing on a resident's behalf) fill in forms here.
    path("demarches/<slug:slug>/demande/", portal_views.start, name="start"),
    path("demandes/brouillon/<uuid:draft>/", portal_views.draft_page, name="draft"),
    path(
        "demandes/brouillon/<uuid:draft>/page/<slug:page>/",
        portal_views.draft_page,
        name="draft_page",
    ),
    path(
        "demandes/brouillon/<uuid:draft>/enregistrer/",
        portal_views.autosave,
        name="draft_autosave",
    ),
    path("demandes/brouillon/<uuid:draft>/verifier/", portal_views.review, name="draft_review"),
    path("demandes/brouillon/<uuid:draft>/supprimer/", portal_views.discard, name="draft_discard"),
    path("demandes/<uuid:case>/recu/", portal_views.receipt, name="receipt"),
    path("demandes/<uuid:case>/recu.pdf", portal_views.receipt_pdf, name="receipt_pdf"),
    path("mon-espace/demandes/", portal_views.my_cases, name="my_cases"),
    path("mon-espace/demandes/<uuid:case>/", portal_views.resident_case, name="resident_case"),
    path(
        "mon-espace/demandes/<uuid:case>/annuler/",
        portal_views.cancel,
        name="resident_cancel",
    ),
    path(
        "mon-espace/demandes/<uuid:case>/pieces-jointes/<uuid:attachment>/",
        portal_views.resident_attachment,
        name="resident_attachment",
    ),
    path("suivi/", portal_views.track_form, name="track_form"),
    path("suivi/<str:code>/", portal_views.track, name="track"),
    path("agents/demandes/", include("guichet.cases.agent_urls")),
]
