from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("claims/", include("claims.urls")),
    path("comments/", include("discussions.urls")),
    path("", include("articles.urls")),
]
