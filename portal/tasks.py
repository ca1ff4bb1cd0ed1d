"""Background jobs of the portal. Thin: take ids, call one service, retry on mail errors."""

from __future__ import annotations

import smtplib

from celery import shared_task

from portal import services
from portal.models import User


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def welcome_email_send(user_id: int) -> bool:
    """Email a new person their set-password link; True if sent.

    The link is made here, at send time, so it never rests in the broker or the database.
    Someone who has already chosen a password (or been deactivated) gets nothing.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    services.welcome_email_send(user=user)
    return True
