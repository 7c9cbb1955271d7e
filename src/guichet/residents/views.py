from django.http import HttpRequest, HttpResponse

# Placeholder views, replaced as the app is built.

def create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("residents:create")


