"""Placeholder until these pages land."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


case_list = case_create = case_detail = case_sharing = case_outcome = _missing
case_author = approval_queue = _missing
