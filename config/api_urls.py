"""/api/v1/: one router for every app's viewsets; unknown paths answer in the API's error shape."""

from typing import Any

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from claims.api import ClaimViewSet, EvidenceViewSet
from discussions.api import AccountSanctionViewSet, CommentViewSet
from editorial.api import ArticleImportViewSet, ArticleViewSet
from energy.api import JobViewSet, SeriesViewSet
from integrations.api import TokenViewSet, WebhookSubscriptionViewSet
from integrations.exceptions import api_not_found_view
from notifications.api import NotificationViewSet
from reading.api import ExportView, SearchView, TagViewSet

app_name = "api"


class ApiRouter(DefaultRouter):
    """The root lists the views outside the router too: search and the JSON Lines export."""

    extra_root_entries = {"search": "search", "export.jsonl": "export"}

    def get_api_root_view(self, api_urls: Any = None) -> Any:
        list_name = self.routes[0].name
        api_root_dict = {
            prefix: list_name.format(basename=basename)
            for prefix, _viewset, basename in self.registry
        }
        api_root_dict.update(self.extra_root_entries)
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


router = ApiRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("article-imports", ArticleImportViewSet, basename="article-import")
router.register("claims", ClaimViewSet, basename="claim")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("series", SeriesViewSet, basename="series")
router.register("comments", CommentViewSet, basename="comment")
router.register("sanctions", AccountSanctionViewSet, basename="sanction")
router.register("tags", TagViewSet, basename="tag")
router.register("tokens", TokenViewSet, basename="token")
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")
router.register("jobs", JobViewSet, basename="job")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("v1/search/", SearchView.as_view(), name="search"),
    path("v1/export.jsonl", ExportView.as_view(), name="export"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # Swagger UI sets inline styles; its scripts all come from our own static files.
        csp_update({"style-src": ["'self'", "'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    re_path(r"^.*$", api_not_found_view, name="not-found"),
]
