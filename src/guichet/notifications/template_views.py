"""Message templates, for supervisors: list, edit with a preview, history, back to the default."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.notifications.access import get_template_for, require_supervisor
from guichet.notifications.actions import restore_default_template, update_template
from guichet.notifications.choices import Event, MessageChannel
from guichet.notifications.events import VARIABLES, example_context, spec
from guichet.notifications.forms import MessageTemplateForm, template_version
from guichet.notifications.message_templates import shipped_templates, template_text
from guichet.notifications.models import MessageTemplate
from guichet.notifications.rendering import (
    SmsSize,
    TemplateText,
    render_message,
    sms_size,
    text_to_html,
)
from guichet.organisation.models import User


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@dataclass(frozen=True)
class Preview:
    subject: str
    text: str
    html: SafeString | None
    sms: SmsSize | None


def build_preview(text: TemplateText) -> Preview:
    """Render ``text`` with the example values of its event."""
    rendered = render_message(text, example_context(text.event))
    if text.channel == MessageChannel.SMS:
        return Preview(subject="", text=rendered.text, html=None, sms=sms_size(rendered.text))
    return Preview(
        subject=rendered.subject, text=rendered.text, html=text_to_html(rendered.text), sms=None
    )


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    """List the templates by event, with the missing defaults to load."""
    require_supervisor(request.user)
    templates = list(MessageTemplate.objects.select_related("updated_by"))
    loaded = {(t.event, t.channel, t.language) for t in templates}
    groups = [
        (Event(event).label, list(rows))
        for event, rows in groupby(templates, key=lambda t: t.event)
    ]
    return render(
        request,
        "notifications/template_list.html",
        {
            "nav": "notifications",
            "groups": groups,
            "missing_defaults": len(set(shipped_templates()) - loaded),
        },
    )


@login_required
def template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    """Edit a template; "Aperçu" renders the typed text with example values without saving."""
    template = get_template_for(request.user, template_id)
    preview = None
    if request.method == "POST":
        form = MessageTemplateForm(request.POST, template=template)
        if form.is_valid():
            typed = form.template_text()
            if request.POST.get("action") == "preview":
                preview = build_preview(typed)
            elif (
                typed.subject == template.subject
                and typed.body == template.body
                and form.cleaned_data["is_active"] == template.is_active
            ):
                messages.info(request, _("Aucune modification à enregistrer."))
                return redirect("notifications:template_edit", template_id=template.pk)
            else:
                update_template(
                    template,
                    actor=_user(request),
                    subject=typed.subject,
                    body=typed.body,
                    is_active=form.cleaned_data["is_active"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("Modèle enregistré."))
                return redirect("notifications:template_edit", template_id=template.pk)
    else:
        form = MessageTemplateForm(
            initial=MessageTemplateForm.initial_for(template), template=template
        )
        preview = build_preview(template_text(template))
    return render(
        request,
        "notifications/template_form.html",
        {
            "nav": "notifications",
            "template": template,
            "event_label": Event(template.event).label,
            "form": form,
            "preview": preview,
            "variables": [(name, VARIABLES[name]) for name in spec(template.event).variables],
            "version": template_version(template),
            "has_default": (template.event, template.channel, template.language)
            in shipped_templates(),
        },
    )


@login_required
def template_history(request: HttpRequest, template_id: int) -> HttpResponse:
    """List the versions of a template, newest first."""
    template = get_template_for(request.user, template_id)
    return render(
        request,
        "notifications/template_history.html",
        {
            "nav": "notifications",
            "template": template,
            "event_label": Event(template.event).label,
            "revisions": template.revisions.select_related("actor"),
        },
    )


@login_required
@require_POST
def template_restore(request: HttpRequest, template_id: int) -> HttpResponse:
    """Put back the text shipped with Guichet."""
    template = get_template_for(request.user, template_id)
    try:
        restore_default_template(template, actor=_user(request))
    except LookupError:
        messages.error(request, _("Ce modèle n'a pas de texte par défaut."))
    else:
        messages.success(request, _("Le texte par défaut est rétabli."))
    return redirect("notifications:template_edit", template_id=template.pk)
