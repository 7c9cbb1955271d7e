"""API plumbing shared by every app's endpoints."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer 404 for anything the caller may not see, so the API leaks nothing either."""
    if isinstance(exc, PermissionDenied | exceptions.PermissionDenied) and not isinstance(
        exc, exceptions.NotAuthenticated
    ):
        exc = Http404()
    return drf_exception_handler(exc, context)
