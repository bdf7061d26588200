"""Alternatives ("Phương án N") are provisions like any other: their conversation page opens
at their anchor and the synthesis report lists their comments under their citation, in the
order of the draft."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from drafts.importing import parse_text
from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

TEXT = (
    "Điều 35. Quyền đơn phương chấm dứt hợp đồng\nPhương án 1: Giữ như hiện hành\n"
    "1. Khoản một của phương án một.\nPhương án 2:\n1. Khoản một của phương án hai.\n"
    "Điều 36. Tuổi nghỉ hưu\n1.\nPhương án 1 (hiện hành): Nam đủ 60 tuổi.\n"
    "Phương án 2 (tăng dần): Nam đủ 62 tuổi.\n2. Khoản hai.\n"
)


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def closed_draft(home, agency):
    now = timezone.now()
    return factories.draft_page(
        parent=home, agency=agency, body=parse_text(TEXT).body, title="Dự thảo có phương án",
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1),
    )  # fmt: skip


def at(draft, anchor: str) -> Provision:
    return Provision.objects.get(version__page=draft, anchor=anchor, withdrawn=False)


def test_an_alternative_has_its_own_conversation_page(client, closed_draft):
    make_feedback(closed_draft, provision=at(closed_draft, "dieu-36-khoan-1-pa-2"), text="Ủng hộ")
    response = client.get(f"{closed_draft.url}gop-y/dieu-36-khoan-1-pa-2/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phương án 2 khoản 1 Điều 36" in html
    assert "Nam đủ 62 tuổi." in html and "Ủng hộ" in html


def test_the_report_lists_comments_on_alternatives_under_their_citation(client, closed_draft):
    for anchor, text in [
        ("dieu-36-khoan-1-pa-2", "Tăng tuổi là hợp lý."),
        ("dieu-35-pa-1-khoan-1", "Giữ như cũ."),
        ("dieu-36-khoan-1-pa-1", "Giữ 60 tuổi."),
    ]:
        make_feedback(closed_draft, provision=at(closed_draft, anchor), text=text)
    html = client.get(f"{closed_draft.url}bao-cao/").content.decode()
    order = [html.index(f'id="{a}"') for a in
             ("dieu-35-pa-1-khoan-1", "dieu-36-khoan-1-pa-1", "dieu-36-khoan-1-pa-2")]  # fmt: skip
    assert order == sorted(order)
    group = html[order[2] : html.index("</section>", order[2])]
    assert "Phương án 2 khoản 1 Điều 36" in group
    assert "Nam đủ 62 tuổi." in group and "Tăng tuổi là hợp lý." in group
    first = html[order[0] : html.index("</section>", order[0])]
    assert "Khoản 1 Phương án 1 Điều 35" in first
