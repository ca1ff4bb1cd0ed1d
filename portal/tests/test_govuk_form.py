"""The govuk_form filter: GOV.UK markup for every form, blank ones of fixed forms drawn once."""

from __future__ import annotations

import re

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms

from portal.templatetags import threshold
from portal.templatetags.threshold import govuk_form


class FixedForm(forms.Form):
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)
    note = forms.CharField(error_messages={"required": "Enter a note"})

    def drawn_key(self):
        return None if self.initial else ()


class ChoicesForm(forms.Form):
    """Drawn alike for the same choices."""

    choice = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choices

    def drawn_key(self):
        return tuple(self.fields["choice"].choices)


class ChangingForm(forms.Form):
    note = forms.CharField()


def test_it_draws_a_blank_fixed_form_once_and_as_crispy_does():
    first = govuk_form(FixedForm())
    assert govuk_form(FixedForm()) is first
    assert first == as_crispy_form(FixedForm())
    assert 'name="colour"' in first and "govuk-radios" in first


def test_it_draws_a_bound_form_each_time_with_its_errors_and_values():
    blank = govuk_form(FixedForm())
    bound = govuk_form(FixedForm(data={"colour": "blue", "note": ""}))
    assert bound != blank
    assert "Enter a note" in bound and "Enter a note" not in blank
    assert re.search(r'value="blue"\s+checked="checked"', bound)
    assert not re.search(r'value="blue"\s+checked', blank)


def test_it_draws_a_form_with_initial_values_each_time():
    chosen = govuk_form(FixedForm(initial={"colour": "red", "note": "Kept"}))
    assert 'value="Kept"' in chosen
    assert 'value="Kept"' not in govuk_form(FixedForm())


def test_it_draws_a_form_once_for_each_key():
    yes_no = govuk_form(ChoicesForm(choices=[("y", "Yes"), ("n", "No")]))
    assert govuk_form(ChoicesForm(choices=[("y", "Yes"), ("n", "No")])) is yes_no
    other = govuk_form(ChoicesForm(choices=[("y", "Yes"), ("m", "Maybe")]))
    assert "Maybe" in other and "Maybe" not in yes_no


def test_it_keeps_a_bounded_number_of_drawn_forms():
    for number in range(threshold.DRAWN_FORMS.limit + 10):
        govuk_form(ChoicesForm(choices=[(str(number), f"Choice {number}")]))
    assert 0 < len(threshold.DRAWN_FORMS) <= threshold.DRAWN_FORMS.limit


def test_it_draws_forms_that_do_not_opt_in_each_time():
    assert govuk_form(ChangingForm()) is not govuk_form(ChangingForm())
