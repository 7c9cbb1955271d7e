"""The outbox, for supervisors: what was sent to whom, what failed, what is stuck."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.notifications.access import get_notification_for, require_supervisor
from guichet.notifications.actions import (
    NotificationStateError,
    cancel_notification,
    retry_notification,
)
from guichet.notifications.choices import NotificationStatus
from guichet.notifications.forms import STUCK, OutboxFilterForm
from guichet.notifications.models import Notification
from guichet.organisation.models import User

PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def day_start(day: datetime.date) -> datetime.datetime:
    """Return the aware local midnight starting ``day`` (an index-friendly bound)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_outbox(form: OutboxFilterForm) -> QuerySet[Notification]:
    notifications = Notification.objects.all()
    if form.is_bound:
        if not form.is_valid():
            return notifications.none()
        data = form.cleaned_data
        if data["status"] == STUCK:
            notifications = notifications.stuck()
        elif data["status"]:
            notifications = notifications.filter(status=data["status"])
        if data["channel"]:
            notifications = notifications.filter(channel=data["channel"])
        if data["event"]:
            notifications = notifications.filter(event=data["event"])
        if data["date_from"]:
            notifications = notifications.filter(created_at__gte=day_start(data["date_from"]))
        if data["date_to"]:
            next_day = data["date_to"] + datetime.timedelta(days=1)
            notifications = notifications.filter(created_at__lt=day_start(next_day))
        query = data["q"].strip()
        if query:
            notifications = notifications.filter(
                Q(recipient__icontains=query) | Q(related_label__icontains=query)
            )
    return notifications.select_related("resident", "user").order_by("-created_at", "-id")


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    """List the notifications, newest first, filtered; failed and stuck ones stand out."""
    require_supervisor(request.user)
    form = OutboxFilterForm(request.GET or None)
    page = Paginator(filtered_outbox(form), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/outbox.html",
        {
            "nav": "notifications",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "failed_count": Notification.objects.filter(status=NotificationStatus.FAILED).count(),
            "stuck_count": Notification.objects.stuck().count(),
            "STUCK": STUCK,
        },
    )


@login_required
def detail(request: HttpRequest, notification_uuid: uuid.UUID) -> HttpResponse:
    """Show one notification: its text, its recipient and every attempt."""
    notification = get_notification_for(request.user, notification_uuid)
    return render(
        request,
        "notifications/detail.html",
        {
            "nav": "notifications",
            "notification": notification,
            "changes": notification.changes.select_related("actor"),
        },
    )


def _back(request: HttpRequest, notification: Notification) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return notification.get_absolute_url()


@login_required
@require_POST
def retry(request: HttpRequest, notification_uuid: uuid.UUID) -> HttpResponse:
    """Send a failed or stuck notification again."""
    notification = get_notification_for(request.user, notification_uuid)
    try:
        retry_notification(notification, actor=_user(request))
    except NotificationStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("La notification à %(recipient)s est de nouveau en file d'envoi.")
            % {"recipient": notification.recipient},
        )
    return redirect(_back(request, notification))


@login_required
@require_POST
def cancel(request: HttpRequest, notification_uuid: uuid.UUID) -> HttpResponse:
    """Give up a notification that was not sent (or whose send is stuck)."""
    notification = get_notification_for(request.user, notification_uuid)
    try:
        cancel_notification(notification, actor=_user(request))
    except NotificationStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("La notification à %(recipient)s est annulée : elle ne sera pas envoyée.")
            % {"recipient": notification.recipient},
        )
    return redirect(_back(request, notification))
