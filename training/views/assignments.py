"""Assigning modules: placeholder until the assignment pages land."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


rule_list = rule_create = rule_detail = rule_cancel = assignment_extend = _missing
