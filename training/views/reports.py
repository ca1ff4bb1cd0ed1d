"""Progress reports: placeholder until the report pages land."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


team_progress = team_matrix_csv = team_people_csv = person_record = _missing
person_record_csv = person_attempt = authority_report = _missing
