"""Account pages of the public site, mounted under /tai-khoan/ before allauth's own."""

from django.urls import path

from consult.feedback.account_views import my_feedback

app_name = "consult_account"

urlpatterns = [
    path("gop-y/", my_feedback, name="my_feedback"),
]
