from django.urls import path

from consult.reports import export_views

app_name = "exports"

urlpatterns = [
    path("bao-cao/<id:draft_id>/xuat/<str:format>/", export_views.export_request, name="request"),
    path("xuat/<id:pk>/", export_views.export_status, name="status"),
    path("xuat/<id:pk>/trang-thai/", export_views.export_progress, name="progress"),
    path("xuat/<id:pk>/tai-ve/", export_views.export_download, name="download"),
]
