from django.urls import path

from consult import views

app_name = "consult"

urlpatterns = [
    path("<int:pk>/", views.feedback_redirect, name="feedback"),
    path("<int:pk>/tan-thanh/", views.endorse, name="endorse"),
    path("<int:pk>/bo-tan-thanh/", views.unendorse, name="unendorse"),
    path("<int:pk>/bao-cao/", views.flag, name="flag"),
    path("<int:pk>/tep-dinh-kem/", views.attachment, name="attachment"),
    path("<int:pk>/hai-long/", views.rate_answer, name="rate"),
    path("xac-nhan/<str:token>/", views.confirm, name="confirm"),
    path("hai-long/<str:token>/", views.satisfaction, name="satisfaction"),
    path("gui/<int:draft_id>/", views.feedback_post, name="post_draft"),
    path("gui/<int:draft_id>/<slug:anchor>/", views.feedback_post, name="post"),
]
