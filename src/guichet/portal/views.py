from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from guichet.catalogue.models import LifeEvent
from guichet.organisation.access import get_agent
from guichet.portal.accounts.views import LoginOptionsMixin


def home(request: HttpRequest) -> HttpResponse:
    life_events = LifeEvent.objects.all()
    return render(request, "portal/home.html", {"life_events": life_events, "nav": "home"})


@login_required
def home_redirect(request: HttpRequest) -> HttpResponse:
    """Send agents to their console and residents to their space after login."""
    if get_agent(request.user) is not None:
        return redirect("backoffice:home")
    return redirect("portal:my_space")


class LoginView(LoginOptionsMixin, auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
