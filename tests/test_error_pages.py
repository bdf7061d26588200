"""404, 403 and 500 in the site's layout, in Vietnamese and English; the demo's settings never
answer with Django's debug page, which lists every URL pattern."""

import importlib

import pytest
from django.test import Client
from django.urls import clear_url_caches

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]

PAGES = {
    "/khong-co-trang-nay/": (404, "Không tìm thấy trang", "Page not found"),
    "/cam/": (403, "Không có quyền truy cập", "Access denied"),
    "/hong/": (500, "Đã có lỗi xảy ra từ phía chúng tôi", "Something went wrong on our side"),
}


def visitor(language: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if language:
        client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("url", PAGES)
def test_error_pages_in_the_sites_layout_in_vietnamese(url, home):
    status, vietnamese, english = PAGES[url]
    response = visitor(None).get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert f'data-error="{status}"' in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert vietnamese in page and english not in page
    assert '<html lang="vi">' in page
    assert "Content-Security-Policy" in response


@pytest.mark.parametrize("url", PAGES)
def test_error_pages_in_english(url, home):
    status, vietnamese, english = PAGES[url]
    response = visitor("en").get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert english in page and vietnamese not in page
    assert '<html lang="en">' in page


@pytest.fixture
def demo_settings(settings):
    """The demo's settings (econsult/settings/dev.py, as `make demo` runs them) on the test
    database, with the URLconf built again from them."""
    import econsult.settings.dev as dev

    names = ("DEBUG", "SERVE_MEDIA", "WHITENOISE_USE_FINDERS", "WHITENOISE_AUTOREFRESH")
    saved = {name: getattr(settings, name) for name in names}
    for name in names:
        setattr(settings, name, getattr(dev, name))
    settings.ROOT_URLCONF = "econsult.urls"
    import econsult.urls

    importlib.reload(econsult.urls)
    clear_url_caches()
    yield settings
    # Rebuild the URLconf from the test settings, not the demo's (pytest-django's `settings`
    # is restored only after this fixture ends), so later tests see no demo-only URL.
    for name, value in saved.items():
        setattr(settings, name, value)
    importlib.reload(econsult.urls)
    clear_url_caches()


def test_the_demo_answers_an_unknown_address_with_the_sites_404(demo_settings, home, tmp_path):
    assert demo_settings.DEBUG is False
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert "URLconf" not in page and "django-admin/" not in page


def test_the_demo_still_serves_static_files_and_media(demo_settings, home):
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    media = demo_settings.MEDIA_ROOT / "demo-check.txt"
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_text("ok")
    try:
        response = Client().get("/media/demo-check.txt")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"ok"
    finally:
        media.unlink()


@pytest.mark.parametrize(
    "spelled",
    ["documents/{name}", "./documents/{name}", "x/../documents/{name}", "documents//{name}"],
)
def test_the_demo_never_serves_document_files_directly(demo_settings, home, spelled):
    """Documents go through Wagtail's checked view only (public once a live draft carries
    them): the file under MEDIA_ROOT/documents/ is not served, however the path is spelled."""
    folder = demo_settings.MEDIA_ROOT / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    secret = folder / "to-trinh-chua-cong-bo.txt"
    secret.write_text("chua cong bo")
    try:
        response = Client().get("/media/" + spelled.format(name=secret.name))
        assert response.status_code == 404
        assert b"chua cong bo" not in response.content
    finally:
        secret.unlink()


@pytest.mark.urls("econsult.urls")
@pytest.mark.parametrize(
    "language, title, other",
    [
        (None, "Chưa gửi được biểu mẫu của bạn", "Your form could not be sent"),
        ("en", "Your form could not be sent", "Chưa gửi được biểu mẫu của bạn"),
    ],
)
def test_a_form_sent_without_its_security_token_gets_the_sites_page(
    language, title, other, home, agency
):
    """An expired session or a sign-in in another tab: the comment form comes back without a
    valid CSRF token. The person sees why, in their language and the site's layout, with a
    way back to the form; nothing is stored."""
    from consult.feedback.models import Feedback
    from tests import factories

    draft = factories.draft_page(parent=home, agency=agency)
    form_page = f"http://testserver{draft.url}"
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if language:
        client.cookies["django_language"] = language
    response = client.post(
        f"/gop-y/gui/{draft.pk}/",
        {"comment": "Góp ý bị mất phiên", "stance": "agree"},
        HTTP_REFERER=form_page,
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-error="csrf"' in page and 'class="site-header"' in page
    assert title in page and other not in page
    assert f'href="{form_page}"' in page
    assert "Content-Security-Policy" in response
    assert "CSRF verification failed" not in page
    assert not Feedback.objects.exists()

    elsewhere = client.post(
        f"/gop-y/gui/{draft.pk}/", {"comment": "x"}, HTTP_REFERER="https://evil.example/"
    )
    assert "evil.example" not in elsewhere.content.decode()
