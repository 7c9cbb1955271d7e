"""Template filters of the search result lists: matched words highlighted, result links."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from guichet.catalogue.analysis import highlight as highlight_terms
from guichet.catalogue.models import Procedure, SearchQuery

register = template.Library()


@register.filter
def highlight(text: str | None, terms: Sequence[str] | None) -> SafeString:
    """Return ``text`` escaped, with the words matching ``terms`` in ``<mark>``."""
    return highlight_terms(text or "", terms or ())


@register.simple_tag
def result_url(procedure: Procedure, search: SearchQuery | None, face: str = "portal") -> str:
    """Return the link of a search result: through the click log when the search was kept.

    ``face`` is "portal" (the public page) or "agents" (the agents' page of the procedure).
    """
    if search is None:
        if face == "agents":
            return reverse("catalogue:agent_procedure", args=[procedure.slug])
        return procedure.get_absolute_url()
    name = "catalogue:agent_search_click" if face == "agents" else "catalogue:search_click"
    return reverse(name, args=[search.uuid, procedure.slug])
