from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("comments/", include("discussions.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("reading.urls")),
]

# A database outage outside a view (session save, middleware) still answers 503, not 500.
handler500 = "core.errors.server_error"
