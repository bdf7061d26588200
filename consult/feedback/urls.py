from django.urls import path

from consult.feedback import views

app_name = "feedback"

urlpatterns = [
    path("<id:pk>/", views.feedback_redirect, name="feedback"),
    path("<id:pk>/tan-thanh/", views.endorse, name="endorse"),
    path("<id:pk>/bo-tan-thanh/", views.unendorse, name="unendorse"),
    path("<id:pk>/bao-cao/", views.flag, name="flag"),
    path("<id:pk>/tep-dinh-kem/", views.attachment, name="attachment"),
    path("xac-nhan/<str:token>/", views.confirm, name="confirm"),
    path("gui/<id:draft_id>/", views.feedback_post, name="post_draft"),
    path("gui/<id:draft_id>/<slug:anchor>/", views.feedback_post, name="post"),
]
