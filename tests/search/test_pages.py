"""The places people search: each consultation's public search page, the search box on the
draft page, the drafters' search in the Wagtail admin with similar comments and campaigns,
and Wagtail's own page search."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback
from tests.search.support import make_staff, token

pytestmark = pytest.mark.django_db

ADMIN_SEARCH = "/admin/search/feedback/"


def reindex():
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115


def hits(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-hit="(\d+)"', response.content.decode())]


def option_count(response, name: str, value: str) -> int | None:
    html = response.content.decode()
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    match = re.search(rf'<option value="{re.escape(value)}"[^>]*data-count="(\d+)"', select)
    return int(match.group(1)) if match else None


@pytest.fixture
def other_draft(home):
    other_agency = factories.AgencyFactory(name="Ủy ban nhân dân tỉnh Thử nghiệm", code="UBNDTN")
    return factories.draft_page(parent=home, agency=other_agency, title="Dự thảo Nghị định khác")


# The public search page


def test_the_draft_page_offers_a_search_box(client, draft):
    html = client.get(draft.url).content.decode()
    assert f'action="{draft.url}tim-kiem/"' in html


def test_public_search_shows_highlighted_public_hits_with_links(client, draft):
    word = token()
    article = Provision.objects.get(version__page=draft, anchor="dieu-5")
    shown = make_feedback(draft, provision=article, text=f"Đề nghị sửa <b>{word}</b> đất đai")
    make_feedback(draft, text=f"Chờ duyệt {word}", is_public=False)
    make_feedback(draft, text=f"Đã gỡ {word}", is_removed=True, removal_reason="Spam")
    reindex()

    response = client.get(f"{draft.url}tim-kiem/", {"q": word})

    assert response.status_code == 200
    assert hits(response) == [shown.pk]
    html = response.content.decode()
    assert f"<mark>{word}</mark>" in html
    assert f"&lt;b&gt;<mark>{word}</mark>&lt;/b&gt;" in html  # the comment's text is escaped
    assert f'href="/gop-y/{shown.pk}/"' in html
    assert client.get(f"/gop-y/{shown.pk}/").status_code == 302


def test_a_hit_on_a_provision_since_removed_leads_to_where_the_comment_is(client, draft):
    """The hit's link follows the provision by key: Dự thảo 2 dropped Khoản 1 Điều 5, its
    Khoản 2 took the anchor; the comment is in the Dự thảo 1 clause's conversation."""
    from tests.drafts.test_versions_pages import article, publish_next_version

    word = token()
    clause = Provision.objects.get(version__page=draft, anchor="dieu-5-khoan-1")
    shown = make_feedback(draft, provision=clause, text=f"Nguyên tắc {word}")

    def drop_clause(body):
        clauses = article(body, "5")["value"]["clauses"]
        clauses.pop(0)
        clauses[0]["value"]["number"] = "1"

    revised = publish_next_version(draft, drop_clause)
    reindex()
    html = client.get(f"{revised.url}tim-kiem/", {"q": word}).content.decode()
    assert f'href="/gop-y/{shown.pk}/"' in html
    response = client.get(f"/gop-y/{shown.pk}/")
    location = f"{revised.url}gop-y/dieu-5-khoan-1/?phien-ban=1"
    assert response["Location"] == f"{location}#c{shown.pk}"
    assert f'id="c{shown.pk}"' in client.get(location).content.decode()


def test_filters_carry_facet_counts_and_the_provision_list_has_chapters(client, draft):
    article = Provision.objects.get(version__page=draft, anchor="dieu-5")
    make_feedback(draft, provision=article, stance="agree")
    make_feedback(draft, provision=article, stance="agree")
    make_feedback(draft, stance="disagree")
    reindex()

    response = client.get(f"{draft.url}tim-kiem/")

    assert response.status_code == 200
    assert option_count(response, "stance", "agree") == 2
    assert option_count(response, "stance", "disagree") == 1
    assert option_count(response, "provision", "chuong-2") == 2
    assert option_count(response, "provision", "chuong-1") == 0
    assert option_count(response, "provision", "dieu-5") == 2

    filtered = client.get(f"{draft.url}tim-kiem/", {"provision": "chuong-2", "stance": "agree"})
    assert len(hits(filtered)) == 2


def test_results_come_in_pages_with_numbers_then_next(client, draft):
    word = token()
    made = {make_feedback(draft, text=f"Góp ý {word} số {n}").pk for n in range(45)}
    reindex()

    first = client.get(f"{draft.url}tim-kiem/", {"q": word})
    html = first.content.decode()
    assert len(hits(first)) == 20
    assert "page=2" in html and "page=3" in html
    next_link = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    second = client.get(f"{draft.url}tim-kiem/{next_link}")
    third = client.get(f"{draft.url}tim-kiem/", {"q": word, "page": 3})
    seen = hits(first) + hits(second) + hits(third)
    assert len(seen) == 45 and set(seen) == made


def test_a_bad_filter_is_a_400_not_an_error(client, draft):
    assert client.get(f"{draft.url}tim-kiem/", {"stance": "furious"}).status_code == 400
    assert client.get(f"{draft.url}tim-kiem/", {"provision": "dieu-99"}).status_code == 400


# The drafters' search in the admin


@pytest.fixture
def drafter(agency):
    return make_staff(agency, "soanthao.btnmt")


def test_staff_search_covers_their_agency_unpublished_feedback_too(
    client, draft, other_draft, drafter
):
    word = token()
    published = make_feedback(draft, text=f"Công khai {word}")
    pending = make_feedback(draft, text=f"Chờ duyệt {word}", is_public=False)
    theirs = make_feedback(other_draft, text=f"Cơ quan khác {word}")
    reindex()
    client.force_login(drafter)

    response = client.get(ADMIN_SEARCH, {"q": word})

    assert response.status_code == 200
    assert sorted(hits(response)) == sorted([published.pk, pending.pk])
    assert theirs.pk not in hits(response)
    refused = client.get(ADMIN_SEARCH, {"q": word, "draft": other_draft.pk})
    assert refused.status_code == 400
    assert hits(refused) == []
    only_mine = client.get(ADMIN_SEARCH, {"q": word, "draft": draft.pk, "provision": "chuong-1"})
    assert hits(only_mine) == []


def test_the_menu_shows_search_to_those_who_answer(client, draft, drafter):
    client.force_login(drafter)
    assert ADMIN_SEARCH in client.get("/admin/").content.decode()


def test_staff_without_an_agency_are_refused(client, draft):
    outsider = factories.UserFactory(username="nobody")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    response = client.get(ADMIN_SEARCH)  # Wagtail turns PermissionDenied into a redirect
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert ADMIN_SEARCH not in client.get("/admin/").content.decode()


def test_administrators_search_every_draft(client, draft, other_draft, superuser):
    word = token()
    mine = make_feedback(draft, text=f"Một {word}")
    theirs = make_feedback(other_draft, text=f"Hai {word}")
    reindex()
    client.force_login(superuser)
    assert sorted(hits(client.get(ADMIN_SEARCH, {"q": word}))) == sorted([mine.pk, theirs.pk])


def test_staff_search_filters_by_date_range(client, draft, drafter):
    from datetime import timedelta

    from django.utils import timezone

    word = token()
    now = timezone.localtime()
    old = make_feedback(draft, text=f"Cũ {word}", submit_date=now - timedelta(days=10))
    new = make_feedback(draft, text=f"Mới {word}", submit_date=now)
    reindex()
    client.force_login(drafter)
    since = (now - timedelta(days=2)).date().isoformat()
    assert hits(client.get(ADMIN_SEARCH, {"q": word, "created_from": since})) == [new.pk]
    assert hits(client.get(ADMIN_SEARCH, {"q": word, "created_to": since})) == [old.pk]


def test_staff_search_takes_dates_typed_the_vietnamese_way(client, draft, drafter):
    """The filter's picker writes 2026-11-24; a person typing writes 24/11/2026: both filter
    (neither reads as an American month/day), and no "None" chip stands for an unset order."""
    from datetime import timedelta

    from django.utils import timezone

    word = token()
    now = timezone.localtime()
    old = make_feedback(draft, text=f"Cũ {word}", submit_date=now - timedelta(days=10))
    new = make_feedback(draft, text=f"Mới {word}", submit_date=now)
    reindex()
    client.force_login(drafter)
    since = (now - timedelta(days=2)).date()
    typed = client.get(ADMIN_SEARCH, {"q": word, "created_from": since.strftime("%d/%m/%Y")})
    assert typed.status_code == 200
    assert hits(typed) == [new.pk]
    assert hits(
        client.get(ADMIN_SEARCH, {"q": word, "created_to": since.strftime("%d/%m/%Y")})
    ) == [old.pk]
    pills = re.findall(r'<li class="w-pill">(.*?)</li>', typed.content.decode(), re.S)
    assert pills and not [pill for pill in pills if re.search(r">\s*None\s*<", pill)]


def test_similar_comments_stay_within_the_agency(client, draft, other_draft, drafter):
    text = "Đề nghị giữ nguyên quy định về thời hạn sử dụng đất nông nghiệp của hộ gia đình"
    source = make_feedback(draft, text=text)
    alike = make_feedback(draft, text=text + " cá nhân")
    elsewhere = make_feedback(other_draft, text=text)
    make_feedback(draft, text="Một ý kiến hoàn toàn khác về thuế")
    reindex()
    client.force_login(drafter)

    response = client.get(f"{ADMIN_SEARCH}{source.pk}/similar/")

    assert response.status_code == 200
    assert alike.pk in hits(response)
    assert elsewhere.pk not in hits(response)
    refused = client.get(f"{ADMIN_SEARCH}{elsewhere.pk}/similar/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert client.get(f"{ADMIN_SEARCH}999999/similar/").status_code == 404


def test_campaigns_list_groups_with_sizes_and_inbox_links(client, draft, other_draft, drafter):
    campaign = "Chúng tôi phản đối việc thu hồi đất để làm dự án thương mại tại địa phương"
    members = [make_feedback(draft, text=campaign) for _ in range(3)]
    make_feedback(draft, text="Ý kiến riêng về thuế sử dụng đất")
    reindex()
    client.force_login(drafter)

    response = client.get(f"/admin/search/clusters/{draft.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-size="3"' in html
    link = re.search(r'href="(/admin/consult/answers/\d+/\?ids=[^"]+)"', html).group(1)
    assert link.startswith(f"/admin/consult/answers/{draft.pk}/?ids=")
    ids = {int(pk) for pk in link.split("ids=")[1].replace("%2C", ",").split(",")}
    assert ids == {m.pk for m in members}
    refused = client.get(f"/admin/search/clusters/{other_draft.pk}/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    linked = client.get(ADMIN_SEARCH, {"draft": draft.pk}).content.decode()
    assert f"/admin/search/clusters/{draft.pk}/" in linked


# Wagtail's page search


def test_the_admin_page_search_finds_a_draft_by_title(client, home, superuser):
    factories.draft_page(parent=home, title="Dự thảo Luật Thủy lợi (sửa đổi)")
    client.force_login(superuser)
    response = client.get("/admin/pages/search/", {"q": "Thủy lợi"})
    assert response.status_code == 200
    assert "Dự thảo Luật Thủy lợi (sửa đổi)" in response.content.decode()
