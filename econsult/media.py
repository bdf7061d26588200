"""Uploaded files served by Django itself (the demo, `SERVE_MEDIA`), as a web server would
serve MEDIA_ROOT in production: everything but Wagtail's documents."""

import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest
from django.views.static import serve

# Where Wagtail stores document files under MEDIA_ROOT. They are served only through
# Wagtail's checked view (/documents/<id>/<name>), which asks the `before_serve_document`
# hooks: a document is public once a live draft carries it (drafts/wagtail_hooks.py).
# Production's web server must refuse this folder too (README, "Full stack").
DOCUMENTS_DIR = "documents"


def serve_public_media(request: HttpRequest, path: str):
    """A file of MEDIA_ROOT (images, renditions…); 404 for anything under `documents/`,
    however the path is spelled (`./documents/`, `a/../documents/`, doubled slashes)."""
    normalised = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if normalised == DOCUMENTS_DIR or normalised.startswith(DOCUMENTS_DIR + "/"):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
