from django import template
from django.utils.safestring import SafeString

from guichet.core import markup

register = template.Library()


@register.filter
def render_markup(text: str, heading_level: int = 2) -> SafeString:
    """Render catalogue markup (paragraphs, headings, lists, bold) safely."""
    return markup.render(text or "", heading_level)


@register.filter
def duration_minutes(value: int | None) -> str:
    if not value:
        return ""
    hours, minutes = divmod(int(value), 60)
    return f"{hours} h {minutes:02d}" if hours else f"{minutes} min"
