"""The back office of requests, under ``/agents/demandes/`` (names in the ``cases`` namespace)."""

from django.urls import URLPattern, URLResolver, include, path

from guichet.cases import agent_views, inbox_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", inbox_views.inbox, name="inbox"),
    path("export.csv", inbox_views.inbox_csv, name="inbox_csv"),
    path("attribution/", inbox_views.bulk_assign, name="bulk_assign"),
    path("vues/", inbox_views.save_view, name="save_view"),
    path("vues/<int:view_id>/supprimer/", inbox_views.delete_view, name="delete_view"),
    path("formulaires/", include("guichet.cases.builder_urls")),
    path("nouvelle/<uuid:resident>/", agent_views.new_for_resident, name="new_for_resident"),
    path("<uuid:case>/", agent_views.case_page, name="agent_case"),
    path("<uuid:case>/statut/", agent_views.transition, name="agent_transition"),
    path("<uuid:case>/attribution/", agent_views.assign, name="agent_assign"),
    path("<uuid:case>/transfert/", agent_views.transfer, name="agent_transfer"),
    path("<uuid:case>/message/", agent_views.message, name="agent_message"),
    path("<uuid:case>/note/", agent_views.note, name="agent_note"),
    path(
        "<uuid:case>/pieces-jointes/<uuid:attachment>/",
        agent_views.attachment,
        name="agent_attachment",
    ),
]
