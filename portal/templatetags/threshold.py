from django import template
from django.utils.safestring import SafeString, mark_safe

from portal import markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render authored Markdown, sanitised, with GOV.UK typography classes added by CSS."""
    return mark_safe(markdown.render(text))  # noqa: S308 - nh3 has sanitised it
