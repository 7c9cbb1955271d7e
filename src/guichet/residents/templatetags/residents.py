from django import template

from guichet.residents import phones

register = template.Library()


@register.filter
def phone_display(value: str) -> str:
    """Format an E.164 number for reading ("+33612345678" → "06 12 34 56 78")."""
    return phones.display(value or "")
