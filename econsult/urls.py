from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from econsult.admin_guards import site_wide_page_reports
from econsult.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("gop-y/", include("consult.feedback.urls")),
    path("gop-y/", include("consult.answers.urls")),
    path("gop-y/", include("consult.reports.urls")),
    path("co-quan/", include("consult.accountability.urls")),
    path("y-kien-co-quan/", include("consult.opinions.urls")),
    path("theo-doi/", include("consult.notifications.urls")),
    path("api/v1/", include("search.api_urls")),
    path("tai-khoan/", include("consult.feedback.account_urls")),
    path("tai-khoan/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    *site_wide_page_reports(),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA or settings.DEBUG:
    from django.urls import re_path

    from econsult.media import serve_public_media

    # django.conf.urls.static.static() serves nothing without DEBUG; the demo runs without it.
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_public_media)]

urlpatterns += [path("", include(wagtail_urls))]
