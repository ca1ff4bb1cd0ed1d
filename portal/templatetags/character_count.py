"""GOV.UK's character count on every box where a person writes within a limit.

templates/gds/field.html (crispy-forms-gds's field template) asks `character_limit` for each
field it draws, so every form gets the component without listing its fields anywhere.
"""

from __future__ import annotations

from django import forms, template

register = template.Library()

COUNTED_WIDGET_CLASS = "govuk-js-character-count"


def counted_limit(field: forms.BoundField) -> int | None:
    """The limit to count down from, or None when the field is not counted.

    Counted: a text box or textarea with a max_length, where people write words. Left alone:
    email, password, search and hidden boxes, and values copied exactly (marked
    spellcheck="false": codes, client ids, names), whose limits no real value reaches.
    """
    widget = field.field.widget
    limit = getattr(field.field, "max_length", None)
    if limit is None or widget.is_hidden or widget.attrs.get("spellcheck") == "false":
        return None
    if isinstance(widget, forms.Textarea):
        return limit
    # crispy-forms-gds reads a type from attrs["input_type"] (a search box) as it draws.
    if (
        isinstance(widget, forms.TextInput)
        and widget.attrs.get("input_type", widget.input_type) == "text"
    ):
        return limit
    return None


@register.simple_tag
def character_limit(field: forms.BoundField, chosen: int | None = None) -> int | None:
    """The field's counted limit (a layout's own max_characters wins), readying its widget
    for GOV.UK's CharacterCount script: the class the script looks for, and no maxlength, so
    text pasted or typed past the limit is shown and counted rather than silently cut (the
    form's max_length still refuses it, with a message)."""
    limit = chosen or counted_limit(field)
    if limit:
        attrs = field.field.widget.attrs
        attrs.pop("maxlength", None)
        attrs.setdefault("aria-describedby", "")  # crispy-forms-gds adds the message's id to it
        classes = attrs.get("class", "").split()
        if COUNTED_WIDGET_CLASS not in classes:
            attrs["class"] = " ".join([*classes, COUNTED_WIDGET_CLASS])
    return limit
