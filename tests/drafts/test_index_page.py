"""The home page: consultations open now, upcoming and closed; filters and title search."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from drafts.models import ConsultationIndexPage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultations(home):
    now = timezone.now()
    labour = factories.AgencyFactory(name="Bộ Lao động", code="LDTBXH")
    justice = factories.AgencyFactory(name="Bộ Tư pháp", code="BTP")
    return {
        "open": factories.draft_page(
            parent=home, agency=labour, title="Dự thảo Bộ luật Lao động", document_type="bo_luat"
        ),
        "upcoming": factories.draft_page(
            parent=home,
            agency=justice,
            title="Dự thảo Nghị định về đất đai",
            document_type="nghi_dinh",
            opens_at=now + timedelta(days=5),
            closes_at=now + timedelta(days=65),
        ),
        "closed": factories.draft_page(
            parent=home,
            agency=justice,
            title="Dự thảo Luật Điện ảnh",
            opens_at=now - timedelta(days=90),
            closes_at=now - timedelta(days=30),
        ),
        "unpublished": factories.draft_page(
            parent=home, agency=labour, title="Dự thảo chưa công bố", publish=False
        ),
    }


def section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def titles(html: str) -> list[str]:
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def test_home_is_the_site_root(client, home):
    assert isinstance(home, ConsultationIndexPage)
    assert client.get("/").status_code == 200


def test_home_groups_consultations_by_window(client, consultations):
    html = client.get("/").content.decode()
    assert titles(section(html, "dang-lay-y-kien")) == ["Dự thảo Bộ luật Lao động"]
    assert titles(section(html, "sap-lay-y-kien")) == ["Dự thảo Nghị định về đất đai"]
    assert titles(section(html, "da-ket-thuc")) == ["Dự thảo Luật Điện ảnh"]
    assert "Dự thảo chưa công bố" not in html


def test_filter_by_agency_and_type(client, consultations):
    assert set(titles(client.get("/?agency=BTP").content.decode())) == {
        "Dự thảo Nghị định về đất đai",
        "Dự thảo Luật Điện ảnh",
    }
    assert titles(client.get("/?agency=BTP&type=nghi_dinh").content.decode()) == [
        "Dự thảo Nghị định về đất đai"
    ]
    assert titles(client.get("/?type=nonsense").content.decode())  # unknown type: no filter


@pytest.mark.parametrize("query", ["đất đai", "dat dai", "DAT DAI", "nghi dinh dat"])
def test_title_search_with_or_without_diacritics(client, consultations, query):
    assert titles(client.get("/", {"q": query}).content.decode()) == [
        "Dự thảo Nghị định về đất đai"
    ]


def test_search_with_no_match_says_so(client, consultations):
    html = client.get("/", {"q": "không có văn bản này"}).content.decode()
    assert titles(html) == []
    assert 'class="empty"' in html
