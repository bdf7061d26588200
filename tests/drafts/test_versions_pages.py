"""Earlier versions of a draft stay readable at their own URL, and the draft page offers a
switcher between versions once there are two."""

import copy
import re

import pytest

from drafts.models import DraftPage

pytestmark = pytest.mark.django_db


def publish_next_version(page: DraftPage, change) -> DraftPage:
    """Publish Dự thảo N+1 of `page`: its body copied (block ids, hence keys, kept), changed in
    place by `change(body)`, the version number raised."""
    page = DraftPage.objects.get(pk=page.pk)
    latest = page.get_latest_revision_as_object()
    body = copy.deepcopy([dict(block) for block in latest.body.raw_data])
    change(body)
    latest.body = body
    latest.version_number = page.version_number + 1
    latest.save_revision().publish()
    return DraftPage.objects.get(pk=page.pk)


def article(body: list[dict], number: str) -> dict:
    return next(b for b in body if b["type"] == "article" and b["value"]["number"] == number)


def revise(body: list[dict]) -> None:
    """Dự thảo 2 of the sample body: a new Điều 2 before the old one (renumbered Điều 3),
    Khoản 1 of the old Điều 2 reworded, Điều 5a removed."""
    from tests.factories import article_block

    old_2 = article(body, "2")
    old_2["value"]["number"] = "3"
    old_2["value"]["clauses"][0]["value"]["text"] = "Cơ quan nhà nước và tổ chức chính trị."
    body.insert(body.index(old_2), article_block("2", "Giải thích từ ngữ", intro="Từ ngữ mới."))
    body.remove(article(body, "5a"))


@pytest.fixture
def revised(draft):
    return publish_next_version(draft, revise)


def test_the_earlier_version_stays_readable_at_its_own_url(client, revised):
    response = client.get(f"{revised.url}phien-ban/1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dự thảo 1 — không phải bản hiện hành" in html
    assert f'href="{revised.url}"' in html
    # Dự thảo 1's text: the clause before its rewording, Điều 5a, no Điều "Giải thích từ ngữ".
    assert "Cơ quan nhà nước." in html
    assert "tổ chức chính trị" not in html
    assert 'id="dieu-5a"' in html
    assert "Giải thích từ ngữ" not in html
    # Anchors as on the page of the current version; comments go to the current version.
    assert 'id="dieu-2-khoan-1"' in html
    assert "gop-y/" not in html.split('class="draft-body"', 1)[1]


def test_an_earlier_version_never_links_to_a_print_view_of_another_text(client, revised):
    """The print view (`in/<anchor>/`) prints the current version's article: from Dự thảo 1,
    "in/dieu-2/" would print the new Điều 2, another text."""
    current = client.get(revised.url).content.decode()
    assert f'href="{revised.url}in/dieu-3/"' in current
    html = client.get(f"{revised.url}phien-ban/1/").content.decode()
    assert 'class="print-link"' not in html
    assert not re.search(r'href="[^"]*/in/[^"]*"', html)


def test_the_current_version_is_on_the_draft_page(client, revised):
    html = client.get(revised.url).content.decode()
    assert "tổ chức chính trị" in html
    assert 'id="dieu-3-khoan-1"' in html
    assert "không phải bản hiện hành" not in html
    response = client.get(f"{revised.url}phien-ban/2/")
    assert response.status_code == 302
    assert response["Location"] == revised.url


@pytest.mark.parametrize("number", [0, 3, 99])
def test_an_unknown_version_is_not_found(client, revised, number):
    assert client.get(f"{revised.url}phien-ban/{number}/").status_code == 404


def test_no_switcher_while_there_is_one_version(client, draft):
    html = client.get(draft.url).content.decode()
    assert "version-switcher" not in html
    assert "so-sanh/" not in html
    assert client.get(f"{draft.url}so-sanh/").status_code == 404


def test_the_switcher_links_every_version_and_the_comparison(client, revised):
    for url in (revised.url, f"{revised.url}phien-ban/1/"):
        html = client.get(url).content.decode()
        switcher = html.split('class="version-switcher"', 1)[1].split("</nav>", 1)[0]
        assert f'href="{revised.url}phien-ban/1/"' in switcher or url.endswith("phien-ban/1/")
        assert f'href="{revised.url}so-sanh/1-2/"' in switcher
        assert re.search(r"Dự thảo 2</(a|strong)> <span class=\"muted\">\(hiện hành\)", switcher)
        assert 'action="' + revised.url + 'so-sanh/"' in switcher


def test_the_version_form_leads_to_the_comparison_without_javascript(client, revised):
    response = client.get(f"{revised.url}so-sanh/", {"a": "2", "b": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{revised.url}so-sanh/1-2/"
    refused = client.get(f"{revised.url}so-sanh/", {"a": "2", "b": "2"})
    assert refused.status_code == 400
    assert "Hãy chọn hai phiên bản khác nhau" in refused.content.decode()
    assert client.get(f"{revised.url}so-sanh/").status_code == 200
