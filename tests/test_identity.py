"""National sign-in (OpenID Connect) over HTTP, without a browser (issue 13, part 3).

The provider is a real one (tests/oidc.py: panva's oidc-provider on Node.js on 127.0.0.1):
the test client starts the sign-in, `requests` plays the person at the provider, and the
client comes back to the callback, where allauth exchanges the code with the provider.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core import mail
from django.urls import reverse

from consult.feedback.models import Feedback
from drafts.models import DraftPage
from econsult.identity.models import Assurance, IdentityVerification, Method
from econsult.identity.services import identity_of, is_verified
from tests import factories
from tests.consult.posting import feedback_form, post_feedback
from tests.consult.reports import test_report_exports as exports
from tests.oidc import CALLBACK_PATH, running_provider, use_provider

pytestmark = pytest.mark.django_db

# The synthesis report's comments and its drafter, as the export tests make them.
drafter, report = exports.drafter, exports.report

CLAUSE = "dieu-2-khoan-2"
CALLBACK = f"http://testserver{CALLBACK_PATH}"
LOGIN_URL = "/tai-khoan/oidc/vneid/login/"
BUTTON = "Đăng nhập bằng VNeID"


@pytest.fixture
def provider(settings):
    with running_provider([CALLBACK]) as running:
        use_provider(settings, running.issuer)
        yield running


def thread(draft) -> str:
    return f"{draft.url}gop-y/{CLAUSE}/"


def at_provider(
    client, *, login: str, name: str = "", cancel: bool = False, next_url="/", process="login"
):
    """Start the sign-in from the site (`process` "connect" to link the provider to the
    account signed in), act at the provider, and return the callback URL the provider sends
    the browser back to (path and query)."""
    start = client.post(LOGIN_URL, {"next": next_url, "process": process})
    assert start.status_code == 302, start.status_code
    browser = requests.Session()
    answer = browser.get(start["Location"], allow_redirects=False)
    assert answer.status_code in (302, 303), answer.text
    interaction = requests.compat.urljoin(start["Location"], answer.headers["Location"])
    page = browser.get(interaction)
    assert "Đăng nhập VNeID" in page.text
    if cancel:
        answer = browser.post(f"{interaction}/abort", allow_redirects=False)
    else:
        answer = browser.post(
            f"{interaction}/login", data={"login": login, "name": name}, allow_redirects=False
        )
    # Back through the provider's /auth/<uid> to the client's redirect URI.
    while not answer.headers["Location"].startswith(CALLBACK):
        answer = browser.get(
            requests.compat.urljoin(interaction, answer.headers["Location"]),
            allow_redirects=False,
        )
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def sign_in_with_provider(client, *, login="079123456789", name="", next_url="/"):
    callback = at_provider(client, login=login, name=name, next_url=next_url)
    answer = client.get(callback)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return answer, callback


# --- without a provider -------------------------------------------------------------------


def test_without_a_provider_there_is_no_button_and_nothing_breaks(client, draft):
    for url in (reverse("account_login"), reverse("account_signup"), thread(draft)):
        answer = client.get(url)
        assert answer.status_code == 200
        assert BUTTON not in answer.content.decode()
    assert client.post(LOGIN_URL).status_code == 404
    assert client.get(f"{CALLBACK_PATH}?code=x&state=y").status_code == 404


def test_a_requirement_without_a_provider_explains_and_refuses(client, draft):
    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=Assurance.PROVIDER)
    client.force_login(factories.UserFactory())
    html = client.get(thread(draft)).content.decode()
    assert "chỉ nhận góp ý của người đã được xác thực danh tính" in html
    assert "security_hash" not in html
    assert BUTTON not in html


# --- the button ---------------------------------------------------------------------------


def test_the_sign_in_and_sign_up_pages_offer_the_provider(client, settings):
    use_provider(settings, "http://127.0.0.1:9", name="VNeID")
    for url in (reverse("account_login"), reverse("account_signup")):
        html = client.get(url).content.decode()
        assert BUTTON in html
        assert f'action="{LOGIN_URL}"' in html
        assert 'name="password1"' in html or 'name="password"' in html  # e-mail stays


# --- the whole sign-in --------------------------------------------------------------------


def test_signing_in_with_the_provider_creates_a_verified_account(client, provider, draft):
    answer, _callback = sign_in_with_provider(
        client, login="079123456789", name="Trần Văn Bình", next_url=thread(draft)
    )
    assert answer["Location"] == thread(draft)
    identity = IdentityVerification.objects.get()
    user = identity.user
    assert (identity.method, identity.provider, identity.subject) == (
        Method.PROVIDER,
        "vneid",
        "079123456789",
    )
    assert (identity.assurance, identity.level) == ("2", 2)
    assert user.email == "079123456789@vneid.example"
    assert user.get_full_name() == "Trần Văn Bình"
    assert user.username  # made up from the name: nothing was asked
    assert is_verified(user, min_level=2)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert not mail.outbox  # the provider verified the address


def test_a_verified_person_comments_where_level_2_is_required_and_gets_the_badge(
    client, provider, draft
):
    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=Assurance.LEVEL_2)
    sign_in_with_provider(client)
    answer, _fields = post_feedback(client, thread(draft), comment="Tôi đồng ý.", stance="agree")
    assert answer.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.verified_level == 2
    html = client.get(thread(draft)).content.decode()
    assert "✓ </span>đã xác thực" in html
    assert "họ tên và danh tính đã được VNeID xác thực, mức 2" in html


def test_each_sign_in_refreshes_the_level(client, settings, draft):
    with running_provider([CALLBACK], acr="1") as running:
        use_provider(settings, running.issuer)
        sign_in_with_provider(client, login="001")
    assert IdentityVerification.objects.get().level == 1
    client.logout()
    with running_provider([CALLBACK], acr="2") as running:
        use_provider(settings, running.issuer)
        sign_in_with_provider(client, login="001")
    identity = IdentityVerification.objects.get()
    assert (identity.level, identity.assurance) == (2, "2")


def test_a_claim_value_mapped_to_a_level(client, settings, draft):
    settings.OIDC_ASSURANCE_LEVELS = {"2": 1}
    with running_provider([CALLBACK], acr="2") as running:
        use_provider(settings, running.issuer)
        sign_in_with_provider(client, login="002")
    assert IdentityVerification.objects.get().level == 1


def test_an_existing_account_with_the_same_address_is_linked_not_duplicated(client, provider):
    from allauth.account.models import EmailAddress

    user = factories.UserFactory(username="binh", email="003@vneid.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    sign_in_with_provider(client, login="003")
    assert identity_of(user).method == Method.PROVIDER
    assert int(client.session["_auth_user_id"]) == user.pk


# --- refused and expired ------------------------------------------------------------------


def test_cancelling_at_the_provider_says_so_and_offers_a_way_back(client, provider, draft):
    callback = at_provider(client, login="", cancel=True, next_url=thread(draft))
    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]
    answer = client.get(callback, follow=True)
    html = answer.content.decode()
    assert answer.redirect_chain[-1][0] == reverse("socialaccount_login_cancelled")
    assert "Bạn đã huỷ đăng nhập" in html
    assert f'href="{thread(draft)}"' in html  # back to the page
    assert BUTTON in html  # and try again
    assert not IdentityVerification.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_replayed_callback_is_refused_with_a_clear_message(client, provider):
    _answer, callback = sign_in_with_provider(client, login="004")
    client.logout()
    replay = client.get(callback)
    html = replay.content.decode()
    assert replay.status_code == 401
    assert "đã hết hạn hoặc đã được dùng" in html
    assert 'href="/tai-khoan/login/"' in html
    assert "_auth_user_id" not in client.session


# --- a consultation that requires a verified identity ---------------------------------------


def form_then_require(client, draft, level):
    """The form as the page gave it before the consultation required `level`."""
    action, fields = feedback_form(client.get(thread(draft)).content.decode())
    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=level)
    return action, {"respondent_type": "citizen", "show_name": "on", **fields}


def test_an_account_verified_by_email_only_is_refused_and_nothing_is_stored(
    client, settings, draft
):
    use_provider(settings, "http://127.0.0.1:9")
    user = factories.UserFactory()
    client.force_login(user)
    action, fields = form_then_require(client, draft, Assurance.PROVIDER)
    answer = client.post(action, {**fields, "comment": "Góp ý của tôi.", "stance": "agree"})
    html = answer.content.decode()
    assert answer.status_code == 403
    assert "chỉ nhận góp ý của người đã được xác thực danh tính" in html
    assert "Góp ý của tôi." in html  # the text typed is kept
    assert BUTTON in html
    assert not Feedback.objects.exists()
    page = client.get(thread(draft)).content.decode()
    assert "security_hash" not in page and BUTTON in page


def test_level_1_is_not_enough_where_level_2_is_required(client, draft):
    from econsult.identity.services import record_provider

    user = factories.UserFactory()
    record_provider(user=user, provider="vneid", subject="1", extra_data={"id_token": {}})
    client.force_login(user)
    action, fields = form_then_require(client, draft, Assurance.LEVEL_2)
    answer = client.post(action, {**fields, "comment": "Góp ý.", "stance": "agree"})
    assert answer.status_code == 403
    assert "mức 2" in answer.content.decode()
    assert not Feedback.objects.exists()
    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=Assurance.PROVIDER)
    answer, _fields = post_feedback(client, thread(draft), comment="Góp ý.", stance="agree")
    assert answer.status_code == 302
    assert Feedback.objects.get().verified_level == 1


def test_anonymous_comments_are_impossible_when_verification_is_required(client, draft):
    DraftPage.objects.filter(pk=draft.pk).update(allow_anonymous=True)
    action, fields = form_then_require(client, draft, Assurance.PROVIDER)
    answer = client.post(
        action,
        {**fields, "comment": "Ẩn danh.", "name": "Lan", "email": "lan@example.vn"},
    )
    assert answer.status_code == 403
    assert not Feedback.objects.exists()
    assert not mail.outbox


def test_comments_without_a_verified_author_have_no_badge(client, draft):
    client.force_login(factories.UserFactory())
    post_feedback(client, thread(draft), comment="Góp ý thường.", stance="agree")
    assert Feedback.objects.get().verified_level is None
    assert "đã xác thực" not in client.get(thread(draft)).content.decode()


# --- e-mail confirmation --------------------------------------------------------------------


def test_confirming_the_email_address_records_an_email_verification(client):
    answer = client.post(
        reverse("account_signup"),
        {
            "email": "hoa@example.vn",
            "first_name": "Lê Thị Hoa",
            "username": "hoa",
            "password1": "mat-khau-rat-dai-2026",
            "password2": "mat-khau-rat-dai-2026",
        },
    )
    assert answer.status_code == 302
    assert not IdentityVerification.objects.exists()
    link = next(
        word for word in mail.outbox[-1].body.split() if "/tai-khoan/confirm-email/" in word
    )
    client.get(urlsplit(link).path)
    identity = IdentityVerification.objects.get()
    assert (identity.method, identity.level) == (Method.EMAIL, Assurance.NONE)
    assert not is_verified(identity.user)
    assert is_verified(identity.user, min_level=Assurance.NONE)


# --- the staff's export ----------------------------------------------------------------------


def test_the_export_says_at_what_level_each_author_was_verified(
    client, draft, report, django_capture_on_commit_callbacks
):
    import csv
    import io

    Feedback.objects.filter(pk=report["first"].pk).update(verified_level=2)
    _export, data = exports.built(client, draft, "csv", django_capture_on_commit_callbacks)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_id = {row["Mã góp ý"]: row["Xác thực danh tính (mức)"] for row in rows}
    assert by_id[str(report["first"].pk)] == "2"
    assert by_id[str(report["second"].pk)] == ""
    _export, data = exports.built(client, draft, "json", django_capture_on_commit_callbacks)
    document = json.loads(data)
    levels = {row["feedback_id"]: row["identity_verified_level"] for row in document["rows"]}
    assert levels[report["first"].pk] == 2 and levels[report["second"].pk] is None


# --- the admin's user view ---------------------------------------------------------------------


def test_the_admin_user_form_shows_how_the_account_was_verified(client, superuser):
    from econsult.identity.services import record_email, record_provider

    client.force_login(superuser)
    client.cookies["django_language"] = "vi"
    citizen = factories.UserFactory()
    url = reverse("wagtailusers_users:edit", args=[citizen.pk])

    def shown() -> str:
        answer = client.get(url)
        assert answer.status_code == 200
        html = answer.content.decode()
        start = html.index("data-identity-verification")
        return html[start : html.index("</section>", start)]

    assert "Chưa xác thực" in shown()
    record_email(user=citizen)
    assert "Đã xác nhận địa chỉ thư điện tử" in shown()
    record_provider(
        user=citizen,
        provider="vneid",
        subject="0791",
        extra_data={"id_token": {"acr": "2", "name": "Trần Thị Lan"}},
    )
    text = shown()
    assert "(vneid)" in text and "mức 2" in text and "giá trị khẳng định: 2" in text
    assert "Họ tên do nhà cung cấp định danh khẳng định: Trần Thị Lan." in text
    record_email(user=citizen)  # a later e-mail confirmation does not lower it
    assert "mức 2" in shown()


def test_the_page_editor_sets_the_requirement(client, superuser, draft):
    client.force_login(superuser)
    client.cookies["django_language"] = "vi"
    html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert 'name="required_assurance"' in html
    assert "yêu cầu xác thực danh tính để góp ý" in html.lower()
    assert "Danh tính được nhà cung cấp định danh quốc gia xác thực ở mức 2" in html


@pytest.mark.parametrize("configured", [False, True])
def test_the_page_editor_refuses_a_requirement_nobody_could_meet(
    client, settings, superuser, draft, configured
):
    """Without the national sign-in configured, requiring a verified identity would close the
    consultation to everyone in silence: the editor says so and keeps the page as it was (a
    review found the requirement accepted without a word)."""
    from tests.drafts.test_editor_parts import long_body, page_form_data

    # A draft long enough for the editor to keep its text out of the form (drafts.editing),
    # so the form posts back as the browser sends it.
    draft = factories.draft_page(
        parent=draft.get_parent(), agency=draft.agency, body=long_body(25, 25)
    )
    settings.OIDC_ISSUER_URL = "https://sso.example.vn" if configured else ""
    client.force_login(superuser)
    client.cookies["django_language"] = "vi"
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    data = page_form_data(client.get(url).content.decode())
    data["required_assurance"] = str(Assurance.LEVEL_2)
    data["action-publish"] = "1"
    response = client.post(url, data)
    draft.refresh_from_db()
    if configured:
        assert response.status_code == 302
        assert draft.required_assurance == Assurance.LEVEL_2
    else:
        assert response.status_code == 200
        assert "chưa có đăng nhập bằng định danh quốc gia" in response.content.decode()
        assert draft.required_assurance == Assurance.NONE


def test_someone_signed_in_by_email_links_the_provider_to_their_account(client, provider, draft):
    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=Assurance.PROVIDER)
    user = factories.UserFactory(first_name="Lê Hoa")
    client.force_login(user)
    html = client.get(thread(draft)).content.decode()
    assert 'name="process" value="connect"' in html
    callback = at_provider(client, login="005", next_url=thread(draft), process="connect")
    done = client.get(callback)
    assert done.status_code == 302 and done["Location"] == thread(draft)
    assert int(client.session["_auth_user_id"]) == user.pk  # still the same account
    assert identity_of(user).subject == "005"
    answer, _fields = post_feedback(client, thread(draft), comment="Đã liên kết.", stance="agree")
    assert answer.status_code == 302
    assert Feedback.objects.get().verified_level == 2


# --- configuration ---------------------------------------------------------------------------


def test_the_provider_is_configured_from_the_environment_only():
    from tests.test_settings import manage

    show = (
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    result = manage(
        "shell",
        "-c",
        show,
        OIDC_ISSUER_URL="https://sso.example.vn",
        OIDC_CLIENT_ID="cong-gop-y",
        OIDC_CLIENT_SECRET="bi-mat",
        OIDC_SCOPES="openid profile email phone",
        OIDC_PROVIDER_NAME="VNeID",
    )
    assert result.returncode == 0, result.stderr
    (app,) = json.loads(result.stdout.splitlines()[-1])["openid_connect"]["APPS"]
    assert app == {
        "provider_id": "vneid",
        "name": "VNeID",
        "client_id": "cong-gop-y",
        "secret": "bi-mat",
        "settings": {
            "server_url": "https://sso.example.vn",
            "scope": ["openid", "profile", "email", "phone"],
        },
    }
    result = manage("shell", "-c", show)
    assert json.loads(result.stdout.splitlines()[-1])["openid_connect"]["APPS"] == []
    result = manage("check", OIDC_ISSUER_URL="https://sso.example.vn")
    assert result.returncode != 0 and "identity.E001" in result.stderr


def test_checks_of_the_issuer(settings):
    from django.core.checks import run_checks

    def ids(issuer: str) -> set[str]:
        use_provider(settings, issuer)
        return {message.id for message in run_checks() if message.id.startswith("identity.")}

    assert ids("https://sso.example.vn") == set()
    assert ids("http://127.0.0.1:8123") == set()
    assert ids("http://sso.example.vn") == {"identity.W001"}
    assert ids("sso.example.vn") == {"identity.E002"}


def test_without_an_address_from_the_provider_only_the_address_is_asked(client, provider):
    callback = at_provider(client, login="khong-email-1", name="Đỗ Văn Nam")
    answer = client.get(callback)
    assert answer["Location"] == reverse("socialaccount_signup")
    page = client.get(answer["Location"])
    html = page.content.decode()
    assert "VNeID đã xác nhận danh tính của bạn" in html
    assert 'name="email"' in html
    assert not IdentityVerification.objects.exists()
    # A missing address gets the site's error summary, and nothing is created.
    form = {"username": "nam", "email": ""}
    html = client.post(reverse("socialaccount_signup"), form).content.decode()
    assert 'class="error-summary' in html
    assert not IdentityVerification.objects.exists()
    answer = client.post(reverse("socialaccount_signup"), {**form, "email": "nam@example.vn"})
    assert answer.status_code == 302
    identity = IdentityVerification.objects.get()
    assert (identity.method, identity.subject, identity.level) == (
        Method.PROVIDER,
        "khong-email-1",
        2,
    )
    assert identity.user.get_full_name() == "Đỗ Văn Nam"
    assert int(client.session["_auth_user_id"]) == identity.user_id


# --- one national identity, one verified account (review of part 3) ---------------------------


def email_account(**fields):
    """An e-mail account with a confirmed address and a password (it may unlink the provider)."""
    from allauth.account.models import EmailAddress

    from econsult.identity.services import record_email

    user = factories.UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    record_email(user=user)
    return user


def fresh(user):
    """The account as stored now (a user object caches its verification record)."""
    return type(user).objects.get(pk=user.pk)


def connect(client, user, *, login, name="", next_url="/"):
    client.force_login(user)
    callback = at_provider(client, login=login, name=name, next_url=next_url, process="connect")
    return client.get(callback)


def unlink(client, user):
    from allauth.socialaccount.models import SocialAccount

    account = SocialAccount.objects.get(user=user)
    html = client.get("/tai-khoan/3rdparty/").content.decode()
    assert "Huỷ liên kết" in html
    answer = client.post("/tai-khoan/3rdparty/", {"account": account.pk})
    assert answer.status_code == 302, answer.content.decode()[:2000]


def test_unlinking_the_provider_drops_the_verification_and_frees_the_identity(
    client, provider, draft
):
    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=Assurance.LEVEL_2)
    first = email_account(username="a-hoa")
    assert connect(client, first, login="0790009999", next_url=thread(draft)).status_code == 302
    assert is_verified(fresh(first), min_level=2)
    unlink(client, first)
    identity = identity_of(fresh(first))
    assert (identity.method, identity.level, identity.subject) == (Method.EMAIL, 0, "")
    page = client.get(thread(draft)).content.decode()
    assert "security_hash" not in page  # no form: the account is no longer verified
    assert "mức 2" in page
    # The identity may now verify another account, and only that one.
    second = email_account(username="b-lan")
    assert connect(client, second, login="0790009999").status_code == 302
    assert is_verified(fresh(second), min_level=2)
    assert not is_verified(fresh(first))
    assert IdentityVerification.objects.filter(method=Method.PROVIDER).count() == 1
    # While linked to the second, the first cannot take it back.
    answer = connect(client, first, login="0790009999")
    assert answer.status_code == 409  # refused: it verifies the second account
    assert not is_verified(fresh(first))
    assert is_verified(fresh(second), min_level=2)


def test_an_identity_verifying_another_account_is_refused_with_a_clear_message(client, provider):
    from econsult.identity.services import IdentityInUse, record_provider

    holder = email_account(username="holder")
    # A verification left without its link (as the unlink bug left them).
    record_provider(
        user=holder, provider="vneid", subject="0790001111", extra_data={"id_token": {}}
    )
    other = email_account(username="other")
    answer = connect(client, other, login="0790001111")
    html = answer.content.decode()
    assert answer.status_code == 409
    assert "đã xác thực một tài khoản khác" in html
    assert "Bạn vẫn đang đăng nhập" in html
    assert identity_of(fresh(other)).method == Method.EMAIL
    client.logout()
    answer = client.get(at_provider(client, login="0790001111"))
    assert answer.status_code == 409
    assert "đã xác thực một tài khoản khác" in answer.content.decode()
    assert "_auth_user_id" not in client.session
    assert IdentityVerification.objects.filter(method=Method.PROVIDER).count() == 1
    with pytest.raises(IdentityInUse):
        record_provider(
            user=other, provider="vneid", subject="0790001111", extra_data={"id_token": {}}
        )
    assert identity_of(fresh(other)).method == Method.EMAIL


def test_the_badge_sits_next_to_the_name_the_provider_asserted(client, provider, draft):
    hoa = email_account(username="hoa", first_name="Lê Thị Hoa")
    connect(client, hoa, login="0790002222", name="Trần Thị Lan", next_url=thread(draft))
    hoa = fresh(hoa)
    assert hoa.get_full_name() == "Trần Thị Lan"
    assert identity_of(hoa).name == "Trần Thị Lan"
    action, fields = feedback_form(client.get(thread(draft)).content.decode())
    fields = {**fields, "respondent_type": "citizen", "show_name": "on", "stance": "agree"}
    # A name slipped into the hidden field is not the one shown next to the badge either.
    answer = client.post(action, {**fields, "name": "Lê Thị Hoa", "comment": "Góp ý của Lan."})
    assert answer.status_code == 302
    assert Feedback.objects.get().user_name == "Trần Thị Lan"
    html = client.get(thread(draft)).content.decode()
    assert "Lê Thị Hoa" not in html
    byline = html[html.index('class="comment__author"') :][:600]
    assert "Trần Thị Lan" in byline and "đã xác thực" in byline
    assert "họ tên và danh tính đã được VNeID xác thực, mức 2" in byline
    # Each sign-in with the provider sets the name it asserts again.
    client.logout()
    type(hoa).objects.filter(pk=hoa.pk).update(first_name="Tên tự gõ")
    sign_in_with_provider(client, login="0790002222", name="Trần Thị Lan")
    assert fresh(hoa).get_full_name() == "Trần Thị Lan"


def test_endorsing_requires_the_same_verified_identity_as_commenting(client, draft):
    from econsult.identity.services import record_provider

    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=Assurance.LEVEL_2)
    author = factories.UserFactory()
    record_provider(user=author, provider="vneid", subject="9", extra_data={"acr": "2"})
    comment = factories.make_feedback(DraftPage.objects.get(pk=draft.pk), user=author)
    endorse = reverse("feedback:endorse", args=[comment.pk])
    client.force_login(factories.UserFactory())  # e-mail only
    page = client.get(endorse, follow=True).content.decode()  # the comment's conversation
    assert "Góp ý" in page and "Tôi tán thành góp ý này" not in page
    html = client.post(endorse, follow=True).content.decode()
    assert "chỉ nhận góp ý của người đã được xác thực danh tính" in html
    comment.refresh_from_db()
    assert comment.endorsement_count == 0
    level_1 = factories.UserFactory()
    record_provider(user=level_1, provider="vneid", subject="10", extra_data={"acr": "1"})
    client.force_login(level_1)
    html = client.post(endorse, follow=True).content.decode()
    assert "đã được xác thực ở mức 1; đợt lấy ý kiến này cần mức 2" in html
    comment.refresh_from_db()
    assert comment.endorsement_count == 0
    level_2 = factories.UserFactory()
    record_provider(user=level_2, provider="vneid", subject="11", extra_data={"acr": "2"})
    client.force_login(level_2)
    assert "Tôi tán thành góp ý này" in client.get(endorse, follow=True).content.decode()
    client.post(endorse)
    comment.refresh_from_db()
    assert comment.endorsement_count == 1


def test_level_1_is_told_how_to_raise_the_level_not_to_sign_in_again(client, settings, draft):
    from econsult.identity.services import record_provider

    use_provider(settings, "http://127.0.0.1:9")
    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=Assurance.LEVEL_2)
    user = factories.UserFactory()
    record_provider(user=user, provider="vneid", subject="12", extra_data={"acr": "1"})
    client.force_login(user)
    html = client.get(thread(draft)).content.decode()
    assert "Danh tính của bạn đã được xác thực ở mức 1; đợt lấy ý kiến này cần mức 2" in html
    assert "nâng mức định danh điện tử trên ứng dụng VNeID rồi đăng nhập lại" in html
    assert "Sign in with it" not in html and "Hãy đăng nhập bằng" not in html


def test_cancelling_a_link_while_signed_in_says_one_is_still_signed_in(client, provider, draft):
    user = email_account(username="lan")
    client.force_login(user)
    callback = at_provider(client, login="", cancel=True, next_url=thread(draft), process="connect")
    answer = client.get(callback, follow=True)
    html = answer.content.decode()
    assert "Việc liên kết tài khoản của bạn với VNeID đã bị huỷ" in html
    assert "Bạn vẫn đang đăng nhập" in html
    assert "Bạn chưa đăng nhập" not in html
    assert 'href="/tai-khoan/login/"' not in html
    assert f'href="{thread(draft)}"' in html
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_connections_page_names_the_identity_and_the_level(client, provider, draft):
    user = email_account(username="nam")
    client.force_login(user)
    assert (
        'href="/tai-khoan/3rdparty/"'
        in client.get(reverse("consult_account:my_feedback")).content.decode()
    )
    html = client.get("/tai-khoan/3rdparty/").content.decode()
    assert "<h1>Định danh điện tử</h1>" in html
    assert "mới chỉ được xác nhận qua địa chỉ thư điện tử" in html
    connect(client, user, login="079123459999")
    html = client.get("/tai-khoan/3rdparty/").content.decode()
    assert "Tài khoản của bạn đã được VNeID xác thực ở mức 2." in html
    assert "<legend>Định danh điện tử đã liên kết</legend>" in html
    assert "VNeID ••••9999 · mức 2" in html
    assert "079123459999" not in html and ">Account<" not in html and "nam</label>" not in html


def test_usernames_made_from_the_provider_name_keep_the_d_of_dj(client, provider, draft):
    answer, _callback = sign_in_with_provider(
        client, login="0790003333", name="Đỗ Văn Nam", next_url=thread(draft)
    )
    user = IdentityVerification.objects.get().user
    assert user.username == "do_van_nam"
    assert user.get_full_name() == "Đỗ Văn Nam"
    html = client.get(answer["Location"]).content.decode()
    assert "Đăng nhập thành công. Xin chào Đỗ Văn Nam." in html


def test_the_draft_page_says_comments_require_a_verified_identity(client, draft):
    assert "Cần định danh điện tử" not in client.get(draft.url).content.decode()
    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=Assurance.LEVEL_2)
    html = client.get(draft.url).content.decode()
    start = html.index('class="draft-header"')
    header = html[start : html.index("</header>", start)]
    assert "Cần định danh điện tử VNeID mức 2 để góp ý." in header
    DraftPage.objects.filter(pk=draft.pk).update(required_assurance=Assurance.PROVIDER)
    assert "Cần định danh điện tử VNeID để góp ý." in client.get(draft.url).content.decode()


def test_the_migration_drops_verifications_left_without_their_link():
    import importlib

    from allauth.socialaccount.models import SocialAccount
    from django.apps import apps

    from econsult.identity.services import record_provider

    migration = importlib.import_module(
        "econsult.identity.migrations.0002_one_account_per_identity"
    )
    stale, gone, linked = email_account(), factories.UserFactory(), email_account()
    for number, user in enumerate((stale, gone, linked)):
        record_provider(user=user, provider="vneid", subject=f"s{number}", extra_data={})
    SocialAccount.objects.create(user=linked, provider="vneid", uid="s2")
    migration.drop_unlinked(apps, None)
    assert identity_of(fresh(stale)).method == Method.EMAIL
    assert identity_of(fresh(gone)) is None
    assert identity_of(fresh(linked)).subject == "s2"
