from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from guichet.portal import views as portal_views
from guichet.portal.accounts import oidc_views

api_patterns: list[URLPattern | URLResolver] = [
    path("", include("guichet.residents.api_urls")),
    path("", include("guichet.contacts.api_urls")),
    path("", include("guichet.catalogue.api_urls")),
    path("", include("guichet.cases.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("connexion/", portal_views.LoginView.as_view(), name="login"),
    # Out of Guichet, and out of the OpenID Connect provider after a login through it.
    path("deconnexion/", oidc_views.logout, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accueil/", portal_views.home_redirect, name="home"),
    path("api/v1/", include(api_patterns)),
    path("", include("guichet.cases.urls")),
    path("agents/", include("guichet.backoffice.urls")),
    path("agents/usagers/", include("guichet.residents.urls")),
    path("agents/contacts/", include("guichet.contacts.urls")),
    path("agents/journal-des-acces/", include("guichet.audit.urls")),
    path("agents/notifications/", include("guichet.notifications.urls")),
    path("agents/administration/", include("guichet.organisation.urls")),
    path("", include("guichet.catalogue.urls")),
    path("", include("guichet.portal.urls")),
]
