from django.urls import path

from consult.accountability import views as accountability_views

app_name = "accountability"

urlpatterns = [
    path("", accountability_views.ranking, name="ranking"),
    path("<str:key>/", accountability_views.agency_detail, name="agency"),
]
