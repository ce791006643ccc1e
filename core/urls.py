from django.urls import path

from core import views

app_name = "core"

# No trailing slash: load balancers probe the exact path, and SECURE_REDIRECT_EXEMPT lists it so.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
