from django.urls import path

app_name = "discussions"

urlpatterns: list = []
