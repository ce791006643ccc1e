from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list_view, name="list"),
    path("articles/<slug:slug>/", views.article_detail_view, name="detail"),
    path("tags/<slug:slug>/", views.tag_view, name="tag"),
    path("search/", views.search_view, name="search"),
]
