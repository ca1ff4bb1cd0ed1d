"""Drop-downs render through templates/django/forms/widgets/select.html (options inline, not
one include each, for the list pages' filters): the same HTML as Django's own."""

from __future__ import annotations

from django import forms


class Filters(forms.Form):
    level = forms.ChoiceField(
        choices=[("", "Any"), ("low", "Low & <slow>"), ("high", "High")], required=False
    )
    grouped = forms.ChoiceField(
        choices=[("Inside", [("a", "Alpha"), ("b", "Beta")]), ("c", "Gamma")], required=False
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)


def test_it_marks_the_chosen_option_and_escapes_labels():
    html = str(Filters({"level": "low"})["level"])

    assert '<option value="low" selected>Low &amp; &lt;slow&gt;</option>' in html
    assert '<option value="">Any</option>' in html and html.count(" selected") == 1
    assert html.startswith('<select name="level" id="id_level">')


def test_it_keeps_option_groups():
    html = str(Filters({"grouped": "b"})["grouped"])

    assert '<optgroup label="Inside">' in html and "</optgroup>" in html
    assert '<option value="b" selected>Beta</option>' in html
    assert html.index("Beta") < html.index("</optgroup>") < html.index("Gamma")


def test_it_marks_every_chosen_option_of_a_multiple_select():
    html = str(Filters({"many": ["x", "y"]})["many"])

    assert "multiple" in html
    assert '<option value="x" selected>X</option>' in html
    assert '<option value="y" selected>Y</option>' in html
