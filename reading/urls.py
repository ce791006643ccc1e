from django.urls import path

from core.page_cache import cache_anonymous_page
from reading import views

app_name = "reading"

page = cache_anonymous_page

urlpatterns = [
    path("", page(views.article_list_view), name="home"),
    path("articles/<slug:slug>/", page(views.article_detail_view), name="article"),
    path("claims/<int:pk>/", page(views.claim_detail_view), name="claim"),
    path(
        "claims/<int:pk>/claimreview.json",
        page(views.claimreview_view),
        name="claimreview",
    ),
    path("evidence/<int:pk>/archive/", page(views.evidence_archive_view), name="evidence_archive"),
    path(
        "evidence/<int:pk>/archive.txt",
        page(views.evidence_archive_text_view),
        name="evidence_archive_text",
    ),
    path("tags/<slug:slug>/", page(views.tag_view), name="tag"),
    path("search/", page(views.search_view), name="search"),
    path("check/", page(views.check_view), name="check"),
    path("check/request/", views.check_request_view, name="check-request"),
    path("follow/<str:kind>/<int:pk>/", views.follow_view, name="follow"),
]
