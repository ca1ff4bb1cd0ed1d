# Placeholder, replaced by the authority-admin views.
from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


user_list = user_create = user_import = user_edit = user_deactivate = _missing
user_reactivate = team_list = team_create = team_edit = team_delete = audit_log = _missing
