from django.urls import path

from search import api

app_name = "search_api"

urlpatterns = [
    path("feedback/search/", api.feedback_search, name="feedback_search"),
]
