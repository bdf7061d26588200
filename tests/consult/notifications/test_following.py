"""Following a draft or an agency over HTTP: the buttons, the following page, the switches."""

import pytest
from django.test import Client

from consult.notifications.models import Follow, Kind, OptOut
from tests import factories
from tests.consult.notifications.helpers import english

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return factories.UserFactory(username="mai", email="mai@example.vn")


def test_anonymous_sees_a_sign_in_link_that_comes_back_and_cannot_follow(client, draft):
    html = client.get(draft.url).content.decode()
    assert f'href="/tai-khoan/login/?next={draft.url}"' in html
    assert "Đăng nhập để theo dõi" in html
    response = client.post(f"/theo-doi/du-thao/{draft.pk}/", {"action": "follow"})
    assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_a_signed_in_reader_follows_and_unfollows_a_draft_from_its_page(client, draft, reader):
    client.force_login(reader)
    html = client.get(draft.url).content.decode()
    assert f'action="/theo-doi/du-thao/{draft.pk}/"' in html
    assert ">Theo dõi</button>" in html

    response = client.post(
        f"/theo-doi/du-thao/{draft.pk}/", {"action": "follow", "next": draft.url}
    )
    assert response.status_code == 302 and response["Location"] == draft.url
    follow = Follow.objects.get()
    assert (follow.user, follow.draft_id, follow.agency_id, follow.language) == (
        reader,
        draft.pk,
        None,
        "vi",
    )
    html = client.get(draft.url).content.decode()
    assert ">Bỏ theo dõi</button>" in html

    # Following again changes nothing; unfollowing removes it.
    client.post(f"/theo-doi/du-thao/{draft.pk}/", {"action": "follow"})
    assert Follow.objects.count() == 1
    client.post(f"/theo-doi/du-thao/{draft.pk}/", {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_the_follow_records_the_interface_language(client, draft, reader):
    english(client).force_login(reader)
    client.post(f"/theo-doi/du-thao/{draft.pk}/", {"action": "follow"})
    assert Follow.objects.get().language == "en"


def test_following_needs_the_csrf_token(draft, reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    response = browser.post(f"/theo-doi/du-thao/{draft.pk}/", {"action": "follow"})
    assert response.status_code == 403
    assert not Follow.objects.exists()


def test_an_unpublished_draft_cannot_be_followed_and_a_bad_action_is_refused(
    client, home, agency, reader
):
    hidden = factories.draft_page(parent=home, agency=agency, publish=False)
    client.force_login(reader)
    assert client.post(f"/theo-doi/du-thao/{hidden.pk}/", {"action": "follow"}).status_code == 404
    live = factories.draft_page(parent=home, agency=agency, title="Dự thảo khác")
    assert client.post(f"/theo-doi/du-thao/{live.pk}/", {}).status_code == 400
    assert client.get(f"/theo-doi/du-thao/{live.pk}/").status_code == 405
    assert not Follow.objects.exists()


def test_an_agency_is_followed_from_its_accountability_page(client, agency, reader):
    client.force_login(reader)
    page = f"/co-quan/{agency.slug}/"
    assert f'action="/theo-doi/co-quan/{agency.slug}/"' in client.get(page).content.decode()
    response = client.post(f"/theo-doi/co-quan/{agency.slug}/", {"action": "follow", "next": page})
    assert response["Location"] == page
    assert Follow.objects.get().agency == agency
    # An outside address in `next` is not followed.
    response = client.post(
        f"/theo-doi/co-quan/{agency.slug}/",
        {"action": "unfollow", "next": "https://evil.example/"},
    )
    assert response["Location"] == page
    assert not Follow.objects.exists()


def test_the_following_page_lists_follows_and_unfollows_and_saves_the_switches(
    client, draft, agency, reader
):
    assert client.get("/theo-doi/").status_code == 302  # anonymous: to the sign-in page
    client.force_login(reader)
    assert 'href="/theo-doi/"' in client.get("/").content.decode()  # the account menu
    Follow.objects.create(user=reader, draft=draft)
    Follow.objects.create(user=reader, agency=agency)
    html = client.get("/theo-doi/").content.decode()
    assert draft.title in html and agency.name in html
    assert html.count('value="unfollow"') == 2
    assert 'name="kinds" value="reply" checked' in html
    assert 'value="digest"' not in html  # not agency staff

    response = client.post(
        "/theo-doi/nhan-thu/", {"form": "kinds", "kinds": ["version", "closing", "report"]}
    )
    assert response.status_code == 302 and response["Location"] == "/theo-doi/"
    assert set(OptOut.objects.values_list("email", "kind")) == {
        ("mai@example.vn", Kind.ANSWER),
        ("mai@example.vn", Kind.REPLY),
    }  # the digest, not shown to her, keeps its state
    html = client.get("/theo-doi/").content.decode()
    assert 'name="kinds" value="reply">' in html
    # An empty POST (no form marker) changes nothing.
    assert client.post("/theo-doi/nhan-thu/", {}).status_code == 400
    client.post("/theo-doi/nhan-thu/", {"form": "kinds", "kinds": list(Kind.values)})
    assert not OptOut.objects.exists()

    client.post(f"/theo-doi/du-thao/{draft.pk}/", {"action": "unfollow", "next": "/theo-doi/"})
    assert list(Follow.objects.values_list("agency_id", flat=True)) == [agency.pk]


def test_staff_see_the_digest_switch(client, agency):
    staff = factories.agency_staff(agency, "canbo")
    staff.email = "canbo@example.vn"
    staff.save()
    client.force_login(staff)
    assert 'value="digest" checked' in client.get("/theo-doi/").content.decode()


def test_the_following_page_fits_a_phone(client, reader, draft):
    """No fixed widths: the list and the switches wrap in 360 px (the site's CSS is fluid)."""
    client.force_login(reader)
    html = client.get("/theo-doi/").content.decode()
    assert 'name="viewport" content="width=device-width' in html
    assert "style=" not in html.split('<main id="main"', 1)[1]


def test_an_unpublished_draft_leaves_the_following_page(client, draft, reader):
    Follow.objects.create(user=reader, draft=draft)
    draft.unpublish()
    client.force_login(reader)
    html = client.get("/theo-doi/").content.decode()
    assert draft.title not in html
    assert "Bạn chưa theo dõi gì" in html
