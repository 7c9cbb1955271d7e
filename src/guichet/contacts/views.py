from django.http import HttpRequest, HttpResponse

# Placeholder views, replaced as the app is built.

def callbacks(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("contacts:callbacks")


def site_contacts(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("contacts:site_contacts")


