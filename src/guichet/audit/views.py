from django.http import HttpRequest, HttpResponse

# Placeholder views, replaced as the app is built.

def access_log(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("audit:access_log")


