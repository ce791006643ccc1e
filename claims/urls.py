from django.urls import path

from claims import api, views

app_name = "claims"

urlpatterns = [
    path("<int:pk>/", views.claim_detail_view, name="detail"),
    path("<int:pk>/claimreview.json", api.claimreview_view, name="claimreview"),
]
