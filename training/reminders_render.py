"""Turn planned outbox rows about training into emails, or None once they no longer apply."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from portal import emails, outbox
from portal.models import EmailKind, OutboxEmail
from portal.unsubscribe import unsubscribe_headers, unsubscribe_url
from training import progress
from training.models import Assignment, Certificate
from training.services.assignments import today
from training.services.reminders import assignment_key_parts, assignment_step, digest_week


def _rendered(email: OutboxEmail, template: str, context: dict) -> outbox.Rendered:
    user = email.user
    context = {
        "user": user,
        "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=email.kind),
        "preferences_url": f"{settings.SITE_URL}{reverse('portal:email-preferences')}",
        **context,
    }
    subject, text, html = emails.render(template, context)
    return outbox.Rendered(
        to=user.email,
        subject=subject,
        text=text,
        html=html,
        headers=unsubscribe_headers(user_id=user.pk, kind=email.kind),
    )


def _module_url(assignment: Assignment) -> str:
    return f"{settings.SITE_URL}{reverse('training:module-detail', args=[assignment.module.key])}"


def render_assignment_reminder(email: OutboxEmail) -> outbox.Rendered | None:
    assignment = Assignment.objects.select_related("module").filter(pk=email.object_id).first()
    planned_due_on, planned_step = assignment_key_parts(email.idempotency_key)
    if (
        assignment is None
        or not assignment.is_open
        or assignment.effective_due_on != planned_due_on
    ):
        return None  # completed, cancelled or given a new date since it was planned
    if assignment_step(planned_due_on, today()) != (email.kind, planned_step):
        return None  # held up past its moment: a later reminder (if any) takes over
    template = "reminder_overdue" if email.kind == EmailKind.OVERDUE else "reminder_due_soon"
    days = (assignment.effective_due_on - today()).days
    return _rendered(
        email,
        template,
        {
            "assignment": assignment,
            "module_url": _module_url(assignment),
            "days_until_due": days,
            "days_overdue": -days,
        },
    )


def render_certificate_expiring(email: OutboxEmail) -> outbox.Rendered | None:
    certificate = (
        Certificate.objects.select_related("version__module").filter(pk=email.object_id).first()
    )
    if certificate is None or not certificate.is_current:
        return None
    renewed = Certificate.objects.filter(
        user_id=certificate.user_id,
        version__module_id=certificate.version.module_id,
        expires_at__gt=certificate.expires_at,
    ).exists()
    if renewed:
        return None
    module_url = reverse("training:module-detail", args=[certificate.version.module.key])
    certificate_url = reverse("training:certificate-detail", args=[certificate.code])
    return _rendered(
        email,
        "reminder_certificate_expiring",
        {
            "certificate": certificate,
            "certificate_url": f"{settings.SITE_URL}{certificate_url}",
            "module_url": f"{settings.SITE_URL}{module_url}",
        },
    )


def render_supervisor_digest(email: OutboxEmail) -> outbox.Rendered | None:
    supervisor = email.user
    on = today()
    if not supervisor.team_id or email.idempotency_key.rsplit(":", 1)[1] != digest_week(on):
        return None  # no team any more, or last week's digest held up until this week
    team_open = Assignment.objects.filter(
        user__team_id=supervisor.team_id,
        user__is_active=True,
        cancelled_at__isnull=True,
    ).select_related("user", "module")
    rows = [(a, a.effective_due_on) for a in team_open.filter(completed_at__isnull=True)]
    overdue = [a for a, due in rows if due < on]
    due_this_week = [a for a, due in rows if on <= due <= on + timedelta(days=6)]
    completed = list(
        team_open.filter(completed_at__date__gte=on - timedelta(days=7), completed_at__date__lt=on)
    )
    progress_url = f"{settings.SITE_URL}{reverse('training:team-progress')}"
    return _rendered(
        email,
        "supervisor_digest",
        {
            "team": supervisor.team,
            "overdue": overdue,
            "due_this_week": due_this_week,
            "completed": completed,
            "progress_url": progress_url,
            "status_labels": progress.LABELS,
        },
    )


def register() -> None:
    outbox.register(EmailKind.DUE_SOON, render_assignment_reminder)
    outbox.register(EmailKind.OVERDUE, render_assignment_reminder)
    outbox.register(EmailKind.CERTIFICATE_EXPIRING, render_certificate_expiring)
    outbox.register(EmailKind.SUPERVISOR_DIGEST, render_supervisor_digest)
