"""Catalogue API: procedures (list, retrieve, search) and the search of knowledge articles.

Procedures are public information: anybody, even without a token, reads the published ones.
Agents also read unpublished procedures, the agents' note and the linked knowledge articles,
and search the articles.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guichet.catalogue import access
from guichet.catalogue.forms import MAX_QUERY_LENGTH
from guichet.catalogue.models import Article, LifeEvent, Procedure
from guichet.catalogue.search import search_catalogue

MAX_SEARCH_LIMIT = 50


class DepartmentRefSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class ArticleRefSerializer(serializers.ModelSerializer[Article]):
    class Meta:
        model = Article
        fields = ["slug", "title", "summary"]
        read_only_fields = fields


class ProcedureSerializer(serializers.ModelSerializer[Procedure]):
    department = DepartmentRefSerializer(read_only=True)
    life_events: serializers.SlugRelatedField[LifeEvent] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "slug",
            "title",
            "summary",
            "body",
            "who_can_ask",
            "documents",
            "department",
            "channels",
            "appointment_required",
            "cost",
            "commitment_days",
            "handled_by_city",
            "orient_to",
            "keywords",
            "life_events",
            "is_published",
            "review_before",
            "updated_at",
            "url",
        ]
        read_only_fields = fields


class AgentProcedureSerializer(ProcedureSerializer):
    """A procedure as agents see it: with the agents' note and the linked knowledge articles."""

    articles = ArticleRefSerializer(source="published_articles", many=True, read_only=True)

    class Meta(ProcedureSerializer.Meta):
        fields = [*ProcedureSerializer.Meta.fields, "agent_note", "articles"]
        read_only_fields = fields


class SearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=MAX_QUERY_LENGTH, trim_whitespace=True)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_SEARCH_LIMIT, default=10)


MATCHED_TERMS_HELP = (
    "The analysed query terms (folded, stemmed, with the vocabulary's expansions) this result "
    "matched: why it was found."
)
SUGGESTION_HELP = 'A corrected query to offer ("did you mean"), or null when the query looks right.'


class ProcedureMatchSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField(source="procedure.slug")
    title = serializers.CharField(source="procedure.title")
    summary = serializers.CharField(source="procedure.summary")
    department = DepartmentRefSerializer(source="procedure.department")
    url = serializers.CharField(source="procedure.get_absolute_url")
    score = serializers.FloatField()
    matched_terms = serializers.ListField(
        child=serializers.CharField(), help_text=MATCHED_TERMS_HELP
    )


class ProcedureSearchSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    suggestion = serializers.CharField(allow_null=True, help_text=SUGGESTION_HELP)
    results = ProcedureMatchSerializer(many=True)


class ArticleMatchSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField(source="article.slug")
    title = serializers.CharField(source="article.title")
    summary = serializers.CharField(source="article.summary")
    department = DepartmentRefSerializer(source="article.department", allow_null=True)
    url = serializers.CharField(source="article.get_absolute_url")
    score = serializers.FloatField()
    matched_terms = serializers.ListField(
        child=serializers.CharField(), help_text=MATCHED_TERMS_HELP
    )


class ArticleSearchSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    suggestion = serializers.CharField(allow_null=True, help_text=SUGGESTION_HELP)
    results = ArticleMatchSerializer(many=True)


class IsAgent(BasePermission):
    """Agents only; the exception handler answers 404 to any other logged-in user."""

    def has_permission(self, request: Request, view: object) -> bool:
        return access.is_agent(request.user)


def _serializer_class(request: Request) -> type[ProcedureSerializer]:
    return AgentProcedureSerializer if access.is_agent(request.user) else ProcedureSerializer


def _procedures(request: Request) -> QuerySet[Procedure]:
    procedures = access.visible_procedures(request.user).prefetch_related("life_events")
    if access.is_agent(request.user):
        procedures = procedures.prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.filter(is_published=True).order_by("title"),
                to_attr="published_articles",
            )
        )
    return procedures.order_by("title")


@extend_schema(
    parameters=[
        OpenApiParameter("department", str, description="Slug of the department in charge."),
        OpenApiParameter("life_event", str, description="Slug of a life event."),
    ],
    description=(
        "List procedures. Anonymous clients and residents get the published procedures and "
        "their public fields; agents also get unpublished ones, `agent_note` and `articles`."
    ),
    responses=AgentProcedureSerializer(many=True),
)
class ProcedureList(generics.ListAPIView[Procedure]):
    permission_classes = [AllowAny]

    def get_serializer_class(self) -> type[ProcedureSerializer]:
        return _serializer_class(self.request)

    def get_queryset(self) -> QuerySet[Procedure]:
        procedures = _procedures(self.request)
        department = self.request.query_params.get("department")
        if department:
            procedures = procedures.filter(department__slug=department)
        life_event = self.request.query_params.get("life_event")
        if life_event:
            procedures = procedures.filter(life_events__slug=life_event)
        return procedures


@extend_schema(
    description="Read one procedure by slug (`agent_note` and `articles` for agents only).",
    responses=AgentProcedureSerializer,
)
class ProcedureDetail(generics.RetrieveAPIView[Procedure]):
    permission_classes = [AllowAny]
    lookup_field = "slug"

    def get_serializer_class(self) -> type[ProcedureSerializer]:
        return _serializer_class(self.request)

    def get_queryset(self) -> QuerySet[Procedure]:
        return _procedures(self.request)


class ProcedureSearch(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[SearchQuerySerializer],
        description=(
            "Search procedures (accents ignored, French stemming, typos forgiven, the public "
            "service's vocabulary), best first, each with the query terms it matched; "
            "`suggestion` is a corrected query when the query looks misspelled."
        ),
        responses=ProcedureSearchSerializer,
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = search_catalogue(
            params.validated_data["q"],
            limit=params.validated_data["limit"],
            include_articles=False,
            include_unpublished=access.is_agent(request.user),
        )
        answer = {
            "count": len(results.procedures),
            "suggestion": results.suggestion,
            "results": results.procedures,
        }
        return Response(ProcedureSearchSerializer(answer).data)


class ArticleSearch(APIView):
    permission_classes = [IsAuthenticated, IsAgent]

    @extend_schema(
        parameters=[SearchQuerySerializer],
        description=(
            "Search the published knowledge articles (fiches réflexes), best first. Agents only: "
            "other users get 404."
        ),
        responses=ArticleSearchSerializer,
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = search_catalogue(params.validated_data["q"], limit=params.validated_data["limit"])
        answer = {
            "count": len(results.articles),
            "suggestion": results.suggestion,
            "results": results.articles,
        }
        return Response(ArticleSearchSerializer(answer).data)
