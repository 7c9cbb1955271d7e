from django.urls import path

from guichet.cases import api

urlpatterns = [
    path("cases/", api.CaseListCreateView.as_view(), name="api-cases"),
    path("cases/<uuid:case_uuid>/", api.CaseDetailView.as_view(), name="api-case"),
    path(
        "cases/<uuid:case_uuid>/transitions/",
        api.CaseTransitionView.as_view(),
        name="api-case-transitions",
    ),
    path(
        "cases/<uuid:case_uuid>/messages/",
        api.CaseMessagesView.as_view(),
        name="api-case-messages",
    ),
    path(
        "cases/<uuid:case_uuid>/messages/read/",
        api.CaseMessagesReadView.as_view(),
        name="api-case-messages-read",
    ),
    path(
        "cases/<uuid:case_uuid>/attachments/<uuid:attachment_uuid>/",
        api.CaseAttachmentView.as_view(),
        name="api-case-attachment",
    ),
]
