"""Every model of the project names its plural itself: Vietnamese has no plural, and a model
without `verbose_name_plural` is shown by Django and Wagtail as its Vietnamese name with an
English "s" glued on ("dự thảo văn bảns") in the page explorer, listings, filters and counts.

Two checks: every model of our apps sets `verbose_name_plural` in its Meta, and the Wagtail
admin screens a superuser reads in Vietnamese (page explorer, its search, the typed listings
of drafts, the page-type report, the choice of a page type to add) carry no Vietnamese word
with an English plural "s".
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.test_interface_language import interface_text

OUR_APPS = ("consult", "drafts", "search", "econsult")

# Vietnamese spelling never ends a syllable in "s": a word that carries a Vietnamese letter
# (or follows one) and ends in "s" is a Vietnamese name with an English plural.
VIETNAMESE_LETTER = "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
ENGLISH_PLURAL = re.compile(
    rf"\b\w*[{VIETNAMESE_LETTER}]\w*s\b"  # "bảns", "địnhs"
    rf"|\b\w*[{VIETNAMESE_LETTER}]\w* [a-z]+s\b",  # "kèm theos": the word after a Vietnamese one
    re.IGNORECASE,
)


def our_models():
    return [
        model
        for model in apps.get_models()
        if model.__module__.split(".")[0] in OUR_APPS and not model._meta.auto_created
    ]


def test_the_check_finds_an_english_plural():
    assert ENGLISH_PLURAL.search("Có 2 dự thảo văn bảns")
    assert ENGLISH_PLURAL.search("tài liệu kèm theos")
    assert not ENGLISH_PLURAL.search("Có 2 dự thảo văn bản trong 3 trang danh sách lấy ý kiến")


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model._meta.label)
def test_every_model_names_its_plural(model):
    # original_attrs holds what the model's own Meta says (Django's default plural is not in it).
    assert "verbose_name" in model._meta.original_attrs, model._meta.label
    assert "verbose_name_plural" in model._meta.original_attrs, model._meta.label
    with translation.override("vi"):
        plural = str(model._meta.verbose_name_plural)
        singular = str(model._meta.verbose_name)
    assert not ENGLISH_PLURAL.search(plural), plural
    # Vietnamese has no plural: the translated plural reads as the translated singular.
    assert plural == singular, (model._meta.label, singular, plural)


def _admin_vi(client, superuser):
    client.force_login(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    return client


@pytest.mark.django_db
def test_admin_screens_show_no_vietnamese_word_with_an_english_plural(client, superuser, draft):
    """The page explorer in Vietnamese (and the admin screens that name page types in the
    plural) never shows "văn bảns"-like words."""
    home = draft.get_parent()
    _admin_vi(client, superuser)
    urls = [
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse("wagtailadmin_explore", args=[home.pk]) + "?q=Luật",
        reverse("wagtailadmin_explore", args=[draft.pk]),
        reverse("wagtailadmin_pages:search") + "?q=Luật",
        reverse("wagtailadmin_pages:add_subpage", args=[home.pk]),
        reverse("wagtailadmin_reports:page_types_usage"),
    ]
    titles = [draft.title, home.title]
    found = {}
    for url in urls:
        response = client.get(url, follow=True)  # adding below the home page goes to its form
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "vi", url
        text = interface_text(response.content.decode(), "vi", titles)
        bad = sorted({match.group(0) for match in ENGLISH_PLURAL.finditer(text)})
        if bad:
            found[url] = bad
    assert found == {}
