"""The site's URLs plus two that fail, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from econsult.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("hong/", broken), path("cam/", forbidden), *site_urlpatterns]
