"""Forms that say what went wrong (issue 12): a refused form comes back with GOV.UK's error
summary at the top (role="alert", focusable, headed “Có lỗi cần sửa”, a link to each field in
error, the form's own errors too), “Lỗi: ” before the page title and the input kept; and every
public page with forms has unique ids and no aria-describedby naming a missing element."""

from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from drafts.models import Provision
from tests import factories
from tests.consult.posting import feedback_form, post_feedback

pytestmark = pytest.mark.django_db

CLAUSE = "dieu-2-khoan-2"
PASSWORD = "Dat-dai-2024-song-hong"
COMMENT = "Nên quy định rõ thời hạn trả lời của cơ quan."


class PageReader(HTMLParser):
    """What the checks read off a page: every id (with repeats), every aria-describedby, the
    <title>, and the error summary's attributes, heading and links."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.described: list[str] = []
        self.title = ""
        self.summary: dict | None = None
        self.summary_heading = ""
        self.summary_links: list[str] = []
        self.summary_items: list[str] = []
        self.textareas: dict[str, str] = {}
        self._in: list[str] = []
        self._depth = 0  # depth inside the summary's <div>
        self._textarea = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described.extend(attrs["aria-describedby"].split())
        if "data-error-summary" in attrs:
            assert self.summary is None, "one error summary per page"
            self.summary = attrs
            self._depth = 1
        elif self._depth and tag == "div":
            self._depth += 1
        if self._depth and tag == "a":
            self.summary_links.append(attrs.get("href", ""))
        if self._depth and tag == "li":
            self.summary_items.append("")
        if tag == "textarea":
            self._textarea = attrs.get("name", "")
            self.textareas[self._textarea] = ""
        self._in.append(tag)

    def handle_endtag(self, tag):
        if self._depth and tag == "div":
            self._depth -= 1
        if tag == "textarea":
            self._textarea = ""
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "title":
            self.title += data
        if self._depth and self._in and self._in[-1] == "h2":
            self.summary_heading += data.strip()
        if self._depth and self.summary_items:
            self.summary_items[-1] += data
        if self._textarea:
            self.textareas[self._textarea] += data


def read(response) -> PageReader:
    reader = PageReader()
    reader.feed(response.content.decode())
    return reader


def assert_sound_markup(reader: PageReader) -> None:
    """Ids unique, and every aria-describedby names an element of the page."""
    repeated = sorted({i for i in reader.ids if reader.ids.count(i) > 1})
    assert repeated == []
    missing = sorted(set(reader.described) - set(reader.ids))
    assert missing == []


def assert_summary(reader: PageReader, *, links: list[str], heading="Có lỗi cần sửa"):
    """The summary is there, takes the focus, is announced, and links to `links`, each of
    which is an element of the page."""
    assert reader.summary is not None, "no error summary"
    assert reader.summary.get("tabindex") == "-1"
    assert reader.summary.get("role") == "alert"
    assert reader.summary_heading == heading
    for link in links:
        assert link in reader.summary_links
    for link in reader.summary_links:
        assert link.startswith("#") and link[1:] in reader.ids, link


@pytest.fixture
def thread_url(draft):
    draft.allow_anonymous = True
    draft.save_revision().publish()
    return f"{draft.url}gop-y/{CLAUSE}/"


def test_a_comment_refused_for_a_bad_email_comes_back_with_the_summary_and_the_text(
    client, thread_url
):
    response, _ = post_feedback(
        client, thread_url, comment=COMMENT, name="Lan", email="lan-at-example", province=""
    )
    assert response.status_code == 400
    page = read(response)
    assert_summary(page, links=["#id_email"])
    assert page.title.strip().startswith("Lỗi: ")
    assert page.textareas["comment"].strip() == COMMENT
    assert "js/error-summary.js" in response.content.decode()
    assert_sound_markup(page)


def test_each_error_of_the_summary_names_its_field(client, thread_url):
    """An empty form's three "Trường này là bắt buộc." must be told apart (issue 12)."""
    response, _ = post_feedback(client, thread_url, comment="", name="", email="", province="")
    assert response.status_code == 400
    items = [" ".join(item.split()) for item in read(response).summary_items]
    assert len(items) == len(set(items)) >= 3, items
    assert any(item.startswith("Nội dung góp ý: ") for item in items), items
    assert all(": " in item for item in items), items


def test_a_bad_email_is_called_not_valid_in_vietnamese(client, thread_url):
    response, _ = post_feedback(client, thread_url, comment=COMMENT, name="Bình", email="binh@")
    items = [" ".join(item.split()) for item in read(response).summary_items]
    assert any(item.endswith("Nhập địa chỉ thư điện tử hợp lệ.") for item in items), items


def test_a_short_password_is_refused_in_vietnamese(client):
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Lê Văn Cường",
            "email": "cuong@example.vn",
            "username": "cuong",
            "password1": "123",
            "password2": "123",
        },
    )
    items = " ".join(read(response).summary_items)
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in items, items
    assert "too short" not in items


def test_the_summary_links_a_stance_error_to_its_first_radio_and_lists_every_error(
    client, thread_url
):
    response, _ = post_feedback(client, thread_url, comment="", stance="change", email="x")
    assert response.status_code == 400
    page = read(response)
    assert_summary(page, links=["#id_comment", "#id_email", "#id_proposed_wording"])
    assert len(page.summary_links) == len(page.summary_items)
    assert_sound_markup(page)


def test_a_refusal_of_the_whole_form_is_in_the_summary_without_a_link(client, draft, thread_url):
    """The form was read while anonymous comments were on; they are off when it is sent: the
    refusal is the form's own error, and the text typed comes back."""
    action, fields = feedback_form(client.get(thread_url).content.decode())
    draft.allow_anonymous = False
    draft.save_revision().publish()
    response = client.post(
        action,
        {**fields, "respondent_type": "citizen", "comment": COMMENT, "name": "Lan",
         "email": "lan@example.vn"},
    )  # fmt: skip
    assert response.status_code == 403
    page = read(response)
    assert_summary(page, links=[])
    assert page.summary_items and page.summary_links == []
    assert page.textareas["comment"].strip() == COMMENT


def test_in_english_the_summary_and_title_are_english(client, thread_url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response, _ = post_feedback(client, thread_url, comment=COMMENT, name="Lan", email="bad")
    page = read(response)
    assert_summary(page, links=["#id_email"], heading="There is a problem")
    assert page.title.strip().startswith("Error: ")


def test_a_page_whose_form_has_no_error_has_no_summary(client, thread_url):
    page = read(client.get(thread_url))
    assert page.summary is None
    assert not page.title.strip().startswith("Lỗi")


def test_sign_up_with_errors_shows_the_summary(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "username": "", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200
    page = read(response)
    assert_summary(page, links=["#id_email", "#id_username"])
    assert page.title.strip().startswith("Lỗi: ")
    assert_sound_markup(page)


def test_a_failed_sign_in_shows_the_summary(client):
    user = factories.UserFactory(username="lan", email="lan@example.vn", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": "lan", "password": "sai"})
    assert response.status_code == 200
    page = read(response)
    assert_summary(page, links=[])
    assert page.summary_items, "the wrong password is listed"
    assert page.title.strip().startswith("Lỗi: ")
    assert_sound_markup(page)


def test_password_reset_with_a_bad_address_shows_the_summary(client):
    response = client.post(reverse("account_reset_password"), {"email": "khong-phai-email"})
    page = read(response)
    assert_summary(page, links=["#id_email"])
    assert_sound_markup(page)


@pytest.fixture
def reader(db):
    user = factories.UserFactory(username="docgia", email="docgia@example.vn")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize(
    "where",
    ["draft", "conversation", "draft-conversation", "search", "signup", "login", "reset"],
)
def test_public_pages_with_forms_have_unique_ids_and_sound_descriptions(
    client, draft, reader, where, signed_in
):
    draft.allow_anonymous = True
    draft.save_revision().publish()
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    for n in range(3):
        factories.make_feedback(draft, provision=provision, text=f"Góp ý số {n}")
    if signed_in:
        client.force_login(reader)
    url = {
        "draft": draft.url,
        "conversation": f"{draft.url}gop-y/{CLAUSE}/",
        "draft-conversation": f"{draft.url}gop-y/",
        "search": f"{draft.url}tim-kiem/?q=to+chuc",
        "signup": reverse("account_signup"),
        "login": reverse("account_login"),
        "reset": reverse("account_reset_password"),
    }[where]
    response = client.get(url)
    if signed_in and where in {"signup", "login"}:
        assert response.status_code == 302  # allauth sends a signed-in person on
        return
    assert response.status_code == 200, url
    assert_sound_markup(read(response))


def test_my_feedback_has_unique_ids_and_sound_descriptions(client, draft, reader):
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    factories.make_feedback(draft, provision=provision, user=reader, text="Của tôi")
    client.force_login(reader)
    response = client.get(reverse("consult_account:my_feedback"))
    assert response.status_code == 200
    assert_sound_markup(read(response))


def test_the_anonymous_form_has_no_placeholder_repeating_a_label(client, thread_url):
    html = client.get(thread_url).content.decode()
    assert 'name="name"' in html
    assert "placeholder=" not in html.split('id="feedback-form"', 1)[1].split("</form>", 1)[0]
