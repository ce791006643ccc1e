from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("accounts/", include("allauth.urls")),
    # The language menu posts without a CSRF token, so that the pages served to anonymous
    # readers from the cache hold nothing of one visitor's (switching language is harmless).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("comments/", include("discussions.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("reading.urls")),
]

# A database outage outside a view (session save, middleware) still answers 503, not 500.
handler500 = "core.errors.server_error"
