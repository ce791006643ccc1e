from django.urls import path

from discussions import views

app_name = "discussions"

urlpatterns = [
    path("post/<int:article_pk>/", views.comment_post_view, name="post"),
    path("<int:pk>/reply/", views.comment_reply_view, name="reply"),
    path("<int:pk>/edit/", views.comment_edit_view, name="edit"),
    path("<int:pk>/delete/", views.comment_delete_view, name="delete"),
    path("<int:pk>/like/", views.comment_like_view, name="like"),
    path("<int:pk>/flag/", views.comment_flag_view, name="flag"),
    path("<int:pk>/feature/", views.comment_feature_view, name="feature"),
    path("<int:pk>/promote/", views.comment_promote_view, name="promote"),
]
