from django.urls import path

from consult.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.following, name="following"),
    path("nhan-thu/", views.preferences, name="preferences"),
    path("du-thao/<id:draft_id>/", views.follow_draft, name="follow_draft"),
    path("co-quan/<str:key>/", views.follow_agency, name="follow_agency"),
    path("huy-nhan-thu/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
