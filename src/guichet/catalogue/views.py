from django.http import HttpRequest, HttpResponse

# Placeholder views, replaced as the app is built.

def index(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("catalogue:index")


def agent_index(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("catalogue:agent_index")


def procedure(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("catalogue:procedure")


def life_event(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("catalogue:life_event")


def article(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("catalogue:article")


