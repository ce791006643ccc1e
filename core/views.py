from __future__ import annotations

import logging

from django.http import (
    HttpRequest,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.health import readiness

logger = logging.getLogger("assay.health")
# Services the site serves without (see readyz).
OPTIONAL_SERVICES = {"replica"}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving; touches no backing service."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Database, cache and broker answer; 503 naming what failed otherwise.

    A read replica that does not answer is named too but keeps the host ready: reads fall back
    to the primary, and every host shares the replica, so failing them all would take the
    whole site down for a service it can do without.

    The body names the failing service only; the error itself (hosts, ports) goes to the log,
    since the endpoint is reachable by anyone.
    """
    checks = readiness()
    failed = sorted(name for name, problem in checks.items() if problem)
    for name in failed:
        logger.warning("not ready", extra={"service": name, "error": checks[name]})
    blocking = [name for name in failed if name not in OPTIONAL_SERVICES]
    body = {
        "status": "fail" if blocking else ("degraded" if failed else "ok"),
        "checks": {name: ("fail" if problem else "ok") for name, problem in checks.items()},
        "failed": failed,
    }
    return JsonResponse(body, status=503 if blocking else 200)


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on every page, the admin's included; the icon is a static
    file with a hashed name in production, so this points them at it."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
