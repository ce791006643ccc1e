"""The reader's notifications page, their mail settings, and the one-click unsubscribe link
(signed, no login). Thin callers of notifications.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications.models import Channel, Kind
from notifications.selectors import notifications_for, preferences_for
from notifications.services import (
    ALL_KINDS,
    mailbox_language,
    notifications_mark_read,
    preference_set,
    unsubscribe,
    unsubscribe_read,
)
from notifications.texts import notification_text

PER_PAGE = 30


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    mailbox_language(user=request.user, language=request.LANGUAGE_CODE)
    page = Paginator(notifications_for(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = [(n, notification_text(n)) for n in page.object_list]
    return render(request, "notifications/list.html", {"page": page, "items": items})


@login_required
@require_POST
def notification_read_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points ("open"), or back to the list."""
    notification = notifications_for(user=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    notifications_mark_read(user=request.user, ids=[notification.pk])
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.target_url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.target_url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=request.user)
    messages.success(request, _("%(n)d notification(s) marked read.") % {"n": count})
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings_view(request: HttpRequest) -> HttpResponse:
    mailbox_language(user=request.user, language=request.LANGUAGE_CODE)
    if request.method == "POST":
        for kind in Kind.values:
            channel = request.POST.get(f"channel-{kind}")
            if channel in Channel.values:
                preference_set(user=request.user, kind=kind, channel=channel)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:settings")
    chosen = preferences_for(user=request.user)
    rows = [(kind, label, chosen[kind]) for kind, label in Kind.choices]
    return render(
        request, "notifications/settings.html", {"rows": rows, "channels": Channel.choices}
    )


@csrf_exempt  # the signed token is the credential; mail clients post without a session
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (a link scanner fetching it changes nothing); POST, from the page's
    button or a mail client's one-click button (List-Unsubscribe-Post), unsubscribes."""
    try:
        user, kind = unsubscribe_read(token)
    except ValidationError as error:
        return render(
            request, "notifications/unsubscribe.html", {"error": error.messages[0]}, status=400
        )
    label = _("all e-mails from Assay") if kind == ALL_KINDS else Kind(kind).label
    if request.method == "POST":
        unsubscribe(token=token)
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": label, "name": user.get_username(), "token": token},
    )
