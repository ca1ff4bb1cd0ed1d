"""Which reminder emails a person receives: preferences, one-click unsubscribe, the outbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal import selectors, services, unsubscribe
from portal.forms import EmailPreferencesForm
from portal.ids import ids_from
from portal.models import EmailKind, OutboxEmail, User
from portal.pagination import page_of
from portal.tasks import outbox_send_queue
from portal.views.manage import authority_admin_required


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    mandatory = selectors.mandatory_email_kinds(user=user)
    form = EmailPreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"kinds": selectors.email_kinds_wanted(user=user)},
        mandatory=mandatory,
    )
    if request.method == "POST" and form.is_valid():
        services.email_preferences_set(user=user, wanted=form.cleaned_data["kinds"])
        messages.success(request, "Your email choices have been saved.")
        return redirect("portal:email-preferences")
    context = {"form": form, "mandatory_labels": [EmailKind(k).label for k in mandatory]}
    return render(request, "portal/email_preferences.html", context)


@csrf_exempt  # a signed token authorises it; mail apps post here without a session (RFC 8058)
@require_http_methods(["GET", "POST"])
def email_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in needed: the signed token names the person and the kind of email."""
    try:
        user_id, kind = unsubscribe.token_read(token)
        user = User.objects.select_related("authority").get(pk=user_id)
        label = EmailKind(kind).label
    except (unsubscribe.InvalidToken, User.DoesNotExist):
        return render(request, "portal/email_unsubscribe_invalid.html", status=400)
    mandatory = kind in selectors.mandatory_email_kinds(user=user)
    done = False
    if request.method == "POST" and not mandatory:
        wanted = set(selectors.email_kinds_wanted(user=user)) - {kind}
        services.email_preferences_set(user=user, wanted=wanted)
        done = True
    context = {"label": label, "mandatory": mandatory, "done": done}
    return render(request, "portal/email_unsubscribe.html", context)


@authority_admin_required
@require_http_methods(["GET", "POST"])
def outbox(request: HttpRequest) -> HttpResponse:
    authority_id = request.user.authority_id
    if request.method == "POST":
        # Ticked rows' ids; anything else (a hand-made request) is ignored, not a server error.
        email_ids = ids_from(request.POST.getlist("email"))
        retried = services.outbox_retry(by=request.user, email_ids=email_ids)
        if retried:
            outbox_send_queue()
        messages.success(request, f"{retried} email{'s' if retried != 1 else ''} will be retried.")
        # Back to the page the ticked rows were on (or the last one, if retrying emptied it).
        url, page_number = reverse("portal:manage-outbox"), request.GET.get("page", "")
        if page_number.isascii() and page_number.isdigit():
            url += f"?page={page_number}"
        return redirect(url)
    # Failed first, as they need someone; a status that is not one shows those too.
    status = request.GET.get("status", "")
    if status not in OutboxEmail.Status.values:
        status = OutboxEmail.Status.FAILED
    overview = selectors.outbox_overview(authority_id=authority_id, status=status)
    # The counts already hold how many there are: no second COUNT for the pages.
    page, page_numbers = page_of(request, overview["emails"], count=overview["count"])
    context = {
        "counts": overview["counts"],
        "status": OutboxEmail.Status(status),
        "page": page,
        "page_numbers": page_numbers,
    }
    return render(request, "manage/outbox.html", context)
