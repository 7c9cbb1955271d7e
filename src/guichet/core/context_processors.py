from django.conf import settings
from django.http import HttpRequest

from guichet.organisation.access import get_agent


def city(request: HttpRequest) -> dict[str, object]:
    """Expose the city's name and the current agent profile (None for residents) to templates."""
    return {
        "city_name": settings.GUICHET_CITY_NAME,
        "current_agent": get_agent(getattr(request, "user", None)),
    }
