from django.urls import path

from consult.feedback import views

app_name = "feedback"

urlpatterns = [
    path("<int:pk>/", views.feedback_redirect, name="feedback"),
    path("<int:pk>/tan-thanh/", views.endorse, name="endorse"),
    path("<int:pk>/bo-tan-thanh/", views.unendorse, name="unendorse"),
    path("<int:pk>/bao-cao/", views.flag, name="flag"),
    path("<int:pk>/tep-dinh-kem/", views.attachment, name="attachment"),
    path("xac-nhan/<str:token>/", views.confirm, name="confirm"),
    path("gui/<int:draft_id>/", views.feedback_post, name="post_draft"),
    path("gui/<int:draft_id>/<slug:anchor>/", views.feedback_post, name="post"),
]
