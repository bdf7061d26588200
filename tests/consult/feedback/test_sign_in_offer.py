"""Sign-in offered where it helps (issue 12 review): an open consultation that needs an
account offers it beside the form, a closed one does not (signing in would not let anyone
comment), and the header's sign-in link brings the reader back to the page they were on."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from drafts.models import DraftPage

pytestmark = pytest.mark.django_db

CLAUSE = "dieu-2-khoan-2"
SIGN_IN_BUTTON = 'class="button" href="/tai-khoan/login/?next='


def test_an_open_consultation_offers_sign_in_beside_the_form(client, draft):
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert SIGN_IN_BUTTON in html


def test_a_closed_consultation_offers_no_sign_in(client, draft):
    DraftPage.objects.filter(pk=draft.pk).update(
        opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(days=1)
    )
    html = client.get(f"{draft.url}gop-y/{CLAUSE}/").content.decode()
    assert SIGN_IN_BUTTON not in html


def test_the_header_sign_in_link_comes_back_to_the_page(client, draft):
    url = f"{draft.url}gop-y/{CLAUSE}/"
    html = client.get(url).content.decode()
    assert f'href="/tai-khoan/login/?next={quote(url)}"' in html
