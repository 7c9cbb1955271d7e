from django.http import HttpRequest, HttpResponse

# Placeholder views, replaced as the app is built.

def home(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("backoffice:home")


