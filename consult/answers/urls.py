"""Public routes of answers: a comment's author rates the answer it got."""

from django.urls import path

from consult.answers import views

app_name = "answers"

urlpatterns = [
    path("<id:pk>/hai-long/", views.rate_answer, name="rate"),
    path("hai-long/<str:token>/", views.satisfaction, name="satisfaction"),
]
