"""Placeholder until these pages land."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


comment_create = vote = case_flag = comment_flag = moderation_queue = _missing
case_moderate = comment_moderate = _missing
