from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms, template
from django.utils.safestring import SafeString, mark_safe

from portal import markdown
from portal.kept import KeptInProcess

register = template.Library()

# Unbound forms drawn once per process (see govuk_form).
DRAWN_FORMS: KeptInProcess[SafeString] = KeptInProcess(limit=500)


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render authored Markdown, sanitised, with GOV.UK typography classes added by CSS."""
    return mark_safe(markdown.render(text))  # noqa: S308 - nh3 has sanitised it


@register.filter(name="govuk_form")
def govuk_form(form: forms.BaseForm) -> SafeString:
    """A form's fields in GOV.UK markup (crispy-forms-gds).

    crispy's templates cost one to eight milliseconds a form, more than the rest of a
    scenario step or a case page. So an unbound form whose class has `drawn_key()` (what its
    HTML depends on: fixed fields, and for example the step's choices) is drawn once per
    process for each key; a bound form (with its values and errors), or one whose key is None,
    is drawn every time."""
    draw_key = getattr(form, "drawn_key", None)
    key = None if form.is_bound or draw_key is None else draw_key()
    if key is None:
        return as_crispy_form(form)
    key = (type(form), form.prefix, key)
    html = DRAWN_FORMS.get(key)
    if html is None:
        html = as_crispy_form(form)
        DRAWN_FORMS.keep({key: html})
    return html
