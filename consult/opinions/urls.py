from django.urls import path

from consult.opinions import views

app_name = "opinions"

urlpatterns = [
    path("<id:submission_id>/cong-van/", views.submission_letter, name="letter"),
]
