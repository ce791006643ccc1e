from django.urls import path

from reading import views

app_name = "reading"

urlpatterns = [
    path("", views.article_list_view, name="home"),
    path("articles/<slug:slug>/", views.article_detail_view, name="article"),
    path("claims/<int:pk>/", views.claim_detail_view, name="claim"),
    path("claims/<int:pk>/claimreview.json", views.claimreview_view, name="claimreview"),
    path("tags/<slug:slug>/", views.tag_view, name="tag"),
    path("search/", views.search_view, name="search"),
    path("check/", views.check_view, name="check"),
    path("check/request/", views.check_request_view, name="check-request"),
]
