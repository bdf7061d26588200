"""The drafters' inbox in the Wagtail admin: filtering a draft's comments, answering a
selection with one answer, publishing, changing and deleting answers, publishing the
synthesis report, and who may do any of it across two agencies."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.users.models import UserProfile

from consult.answers import services as responses
from consult.answers.models import Decision, Response, ResponseRevision
from consult.feedback.models import Feedback
from consult.reports.models import SynthesisReport
from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

INDEX = "/admin/consult/answers/"


def inbox_url(draft):
    return f"{INDEX}{draft.pk}/"


def responses_url(draft):
    return f"{INDEX}{draft.pk}/responses/"


def response_url(response):
    return f"{INDEX}{response.draft_id}/responses/{response.pk}/"


def report_url(draft):
    return f"{INDEX}{draft.pk}/report/"


def make_staff(agency, username):
    return factories.agency_staff(agency, username, admin_language="en")


def _english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def provision(draft, anchor):
    return Provision.objects.get(version__page=draft, anchor=anchor)


def listed(response):
    return [row["pk"] for row in response.context["rows"]]


def messages_of(response):
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def other_agency(db):
    return factories.AgencyFactory(name="Ủy ban nhân dân tỉnh Thử nghiệm", code="UBNDTN")


@pytest.fixture
def other_draft(home, other_agency):
    return factories.draft_page(parent=home, agency=other_agency, title="Dự thảo Nghị định khác")


@pytest.fixture
def drafter(agency):
    return make_staff(agency, "soanthao.btnmt")


@pytest.fixture
def other_staff(other_agency):
    return make_staff(other_agency, "soanthao.ubnd")


@pytest.fixture
def admin_user(superuser):
    return _english(superuser)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return login


@pytest.fixture
def three(draft):
    article = provision(draft, "dieu-1")
    return [make_feedback(draft, provision=article, text=f"Góp ý số {n}") for n in range(3)]


# Filters


def test_filtering_on_a_chapter_lists_comments_on_everything_under_it_and_nothing_else(
    draft, drafter, client_for
):
    on_chapter = make_feedback(draft, provision=provision(draft, "chuong-1"))
    on_article = make_feedback(draft, provision=provision(draft, "dieu-1"))
    on_clause = make_feedback(draft, provision=provision(draft, "dieu-2-khoan-1"))
    on_point = make_feedback(draft, provision=provision(draft, "dieu-2-khoan-2-diem-a"))
    in_chapter_two = make_feedback(draft, provision=provision(draft, "dieu-5"))
    on_whole_draft = make_feedback(draft, provision=None)
    client = client_for(drafter)

    chapter_one = client.get(inbox_url(draft), {"provision": "chuong-1"})
    assert set(listed(chapter_one)) == {on_chapter.pk, on_article.pk, on_clause.pk, on_point.pk}

    whole = client.get(inbox_url(draft), {"provision": "_whole"})
    assert listed(whole) == [on_whole_draft.pk]

    everything = client.get(inbox_url(draft))
    assert in_chapter_two.pk in listed(everything)
    assert len(listed(everything)) == 6


def test_filtering_on_an_article_by_id_keeps_out_an_article_whose_anchor_starts_alike(
    draft, drafter, client_for
):
    article = provision(draft, "dieu-5")
    on_article = make_feedback(draft, provision=article)
    on_clause = make_feedback(draft, provision=provision(draft, "dieu-5-khoan-2"))
    on_point = make_feedback(draft, provision=provision(draft, "dieu-5-khoan-2-diem-a1"))
    make_feedback(draft, provision=provision(draft, "dieu-5a"))
    make_feedback(draft, provision=provision(draft, "chuong-1"))

    response = client_for(drafter).get(inbox_url(draft), {"provision": str(article.pk)})

    assert set(listed(response)) == {on_article.pk, on_clause.pk, on_point.pk}
    # the id in the URL selects the article in the dropdown
    assert 'value="dieu-5" selected' in response.content.decode()


def test_the_provision_dropdown_lists_the_current_version_indented_by_depth(
    draft, drafter, client_for
):
    response = client_for(drafter).get(inbox_url(draft))
    options = dict(response.context["filter_form"].fields["provision"].widget.choices)

    assert options["chuong-1"] == "Chương I. NHỮNG QUY ĐỊNH CHUNG"
    assert options["dieu-1"] == "\u00a0" * 3 + "Điều 1. Phạm vi điều chỉnh"
    assert options["dieu-5-khoan-2-diem-a"].startswith("\u00a0" * 12 + "Điểm a")
    anchors = list(options)
    assert anchors.index("chuong-1") < anchors.index("dieu-1") < anchors.index("chuong-2")


def test_an_unknown_provision_is_reported_and_not_applied(draft, drafter, client_for):
    comment = make_feedback(draft, provision=provision(draft, "dieu-1"))

    response = client_for(drafter).get(inbox_url(draft), {"provision": "dieu-99"})

    assert response.status_code == 200
    assert response.context["filter_form"].errors["provision"]
    assert listed(response) == [comment.pk]


def test_stance_respondent_type_province_and_text_filters(draft, drafter, client_for):
    article = provision(draft, "dieu-1")
    agreeing = make_feedback(draft, provision=article, stance="agree", text="Đồng ý hoàn toàn")
    business = make_feedback(
        draft,
        provision=article,
        stance="disagree",
        respondent_type="business",
        organisation="Công ty Thử nghiệm",
        province="ha-noi",
        text="Không đồng ý",
    )
    wording = make_feedback(
        draft,
        provision=article,
        stance="change",
        province="da-nang",
        text="Sửa lại",
        proposed_wording="Thuế suất là năm phần trăm",
    )
    client = client_for(drafter)

    assert listed(client.get(inbox_url(draft), {"stance": "agree"})) == [agreeing.pk]
    assert listed(client.get(inbox_url(draft), {"respondent_type": "business"})) == [business.pk]
    assert listed(client.get(inbox_url(draft), {"province": "da-nang"})) == [wording.pk]
    # proposed wording counts; case folds (SQLite folds ASCII letters only, PostgreSQL all)
    assert listed(client.get(inbox_url(draft), {"text": "tHUế suất"})) == [wording.pk]
    assert listed(client.get(inbox_url(draft), {"text": "ng ý"})) == [business.pk, agreeing.pk]
    combined = client.get(inbox_url(draft), {"stance": "disagree", "province": "da-nang"})
    assert listed(combined) == []


def test_answered_filter_separates_unanswered_private_and_published(
    draft, drafter, client_for, three
):
    unanswered, private, published = three
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[private.pk], decision=Decision.NOTED
    )
    responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[published.pk],
        decision=Decision.ACCEPTED,
        publish=True,
    )
    client = client_for(drafter)

    assert listed(client.get(inbox_url(draft), {"answered": "none"})) == [unanswered.pk]
    assert listed(client.get(inbox_url(draft), {"answered": "private"})) == [private.pk]
    assert listed(client.get(inbox_url(draft), {"answered": "published"})) == [published.pk]
    page = client.get(inbox_url(draft))
    assert page.context["counts"]["none"] == 1
    assert page.context["counts"]["private"] == 1
    assert page.context["counts"]["published"] == 1


def test_sorting_by_endorsements_and_by_date(draft, drafter, client_for):
    article = provision(draft, "dieu-1")
    old = make_feedback(draft, provision=article, endorsement_count=2)
    popular = make_feedback(draft, provision=article, endorsement_count=40)
    new = make_feedback(draft, provision=article, endorsement_count=0)
    now = timezone.now()
    for comment, days in ((old, 5), (popular, 3), (new, 1)):
        Feedback.objects.filter(pk=comment.pk).update(submit_date=now - timedelta(days=days))
    client = client_for(drafter)

    by_endorsements = client.get(inbox_url(draft), {"sort": "endorsements"})
    assert listed(by_endorsements) == [popular.pk, old.pk, new.pk]
    assert listed(client.get(inbox_url(draft))) == [new.pk, popular.pk, old.pk]
    assert listed(client.get(inbox_url(draft), {"sort": "oldest"})) == [old.pk, popular.pk, new.pk]


def test_the_inbox_lists_only_published_top_level_comments_of_its_draft(
    draft, other_draft, drafter, client_for
):
    article = provision(draft, "dieu-1")
    published = make_feedback(draft, provision=article)
    make_feedback(draft, provision=article, is_public=False)
    make_feedback(draft, provision=article, is_removed=True)
    make_feedback(draft, provision=article, email_confirmed=False)
    make_feedback(draft, provision=article, parent_id=published.pk, level=1)
    make_feedback(other_draft, provision=None)

    assert listed(client_for(drafter).get(inbox_url(draft))) == [published.pk]


def test_the_inbox_costs_the_same_queries_for_three_rows_as_for_thirty(draft, drafter, client_for):
    article = provision(draft, "dieu-1")
    client = client_for(drafter)

    def answered_comments(n):
        comments = [make_feedback(draft, provision=article) for _ in range(n)]
        answer = responses.response_create(
            user=drafter,
            draft=draft,
            feedback_ids=[c.pk for c in comments[: n // 2]],
            decision=Decision.NOTED,
            publish=True,
        )
        responses.response_update(
            user=drafter, response=answer, decision=Decision.ACCEPTED, reason="Đã sửa."
        )

    answered_comments(3)
    client.get(inbox_url(draft))
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(inbox_url(draft)))) == 3
    answered_comments(27)
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client.get(inbox_url(draft)))) == 30

    assert len(many) == len(few)


# Answering


def test_answering_three_selected_comments_creates_one_response_and_returns_to_the_list(
    draft, drafter, client_for, three
):
    url = inbox_url(draft) + "?stance=agree&sort=oldest"
    response = client_for(drafter).post(
        url,
        {
            "feedback": [c.pk for c in three],
            "decision": "partly",
            "reason": "Tiếp thu một phần, sửa Điều 1.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url
    answer = Response.objects.get()
    assert set(answer.feedback.values_list("pk", flat=True)) == {c.pk for c in three}
    assert answer.decision == Decision.PARTLY
    assert answer.reason == "Tiếp thu một phần, sửa Điều 1."
    assert answer.created_by == drafter
    assert answer.published_at is None
    assert mail.outbox == []


def test_a_campaign_link_lists_only_its_comments_and_a_bad_list_is_refused(
    draft, drafter, client_for, three
):
    other = make_feedback(draft, text="Góp ý khác")
    client = client_for(drafter)
    picked = f"{three[0].pk},{three[2].pk}"

    page = client.get(inbox_url(draft), {"ids": picked})
    assert sorted(listed(page)) == sorted([three[0].pk, three[2].pk])
    assert page.context["campaign_size"] == 2

    refused = client.get(inbox_url(draft), {"ids": "1,abc"})
    assert other.pk in listed(refused)  # not applied
    assert "not valid" in str(refused.context["filter_form"].errors)


def test_answering_everything_the_filters_select_covers_every_page_but_published_answers(
    draft, drafter, client_for, three
):
    article = provision(draft, "dieu-1")
    many = [make_feedback(draft, provision=article, text=f"Chiến dịch {n}") for n in range(60)]
    make_feedback(draft, provision=provision(draft, "dieu-2"), text="Ngoài bộ lọc")
    already = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[three[0].pk], decision="accepted", publish=True
    )
    url = inbox_url(draft) + "?provision=dieu-1"

    response = client_for(drafter).post(
        url, {"everything": "on", "decision": "noted", "reason": "Ghi nhận."}
    )

    assert response.status_code == 302
    answer = Response.objects.exclude(pk=already.pk).get()
    covered = set(answer.feedback.values_list("pk", flat=True))
    assert covered == {c.pk for c in [*many, three[1], three[2]]}
    assert Feedback.objects.get(pk=three[0].pk).response == already


def test_publishing_now_publishes_the_answer_and_tells_the_authors(
    draft, drafter, client_for, three, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(drafter).post(
            inbox_url(draft),
            {"feedback": [three[0].pk], "decision": "accepted", "reason": "", "publish": "on"},
        )

    answer = Response.objects.get()
    assert answer.published_by == drafter
    assert len(mail.outbox) == 1


def test_an_answer_without_a_selection_changes_nothing_and_keeps_what_was_typed(
    draft, drafter, client_for, three
):
    response = client_for(drafter).post(
        inbox_url(draft) + "?stance=agree",
        {"decision": "noted", "reason": "Lý do đã gõ"},
    )

    assert response.status_code == 200
    assert "Select at least one comment to answer." in messages_of(response)
    assert not Response.objects.exists()
    page = response.content.decode()
    assert "Lý do đã gõ" in page
    assert response.context["filter_form"].data["stance"] == "agree"


def test_not_accepting_without_a_reason_changes_nothing_and_keeps_the_selection(
    draft, drafter, client_for, three
):
    selected = [three[0].pk, three[2].pk]
    response = client_for(drafter).post(
        inbox_url(draft), {"feedback": selected, "decision": "not_accepted", "reason": "  "}
    )

    assert response.status_code == 200
    assert "needs a reason" in messages_of(response)
    assert not Response.objects.exists()
    assert not Feedback.objects.filter(response__isnull=False).exists()
    ticked = {row["pk"] for row in response.context["rows"] if row["selected"]}
    assert ticked == set(selected)
    assert f'value="{three[0].pk}" checked' in response.content.decode()


def test_a_comment_with_a_published_answer_cannot_be_answered_again(
    draft, drafter, client_for, three
):
    first = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[three[0].pk], decision="noted", publish=True
    )
    response = client_for(drafter).post(
        inbox_url(draft), {"feedback": [three[0].pk, three[1].pk], "decision": "accepted"}
    )

    assert "already have a published answer" in messages_of(response)
    assert Response.objects.get() == first
    assert Feedback.objects.get(pk=three[1].pk).response is None


# Changing, publishing and deleting answers


def test_changing_a_published_answer_keeps_a_revision_and_the_inbox_shows_it(
    draft, drafter, client_for, three
):
    answer = responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[three[0].pk],
        decision=Decision.NOTED,
        reason="Ghi nhận.",
        publish=True,
    )
    client = client_for(drafter)
    edit_page = client.get(response_url(answer))
    assert edit_page.status_code == 200
    assert "data-answer-kept" in edit_page.content.decode()

    saved = client.post(
        response_url(answer), {"decision": "accepted", "reason": "Đã sửa theo góp ý."}
    )

    assert saved.status_code == 302
    answer.refresh_from_db()
    assert (answer.decision, answer.reason) == (Decision.ACCEPTED, "Đã sửa theo góp ý.")
    revision = ResponseRevision.objects.get(response=answer)
    assert (revision.decision, revision.reason) == (Decision.NOTED, "Ghi nhận.")
    row = client.get(inbox_url(draft), {"answered": "published"}).context["rows"][0]
    assert row["answer"]["reason"] == "Đã sửa theo góp ý."
    assert [r["reason"] for r in row["answer"]["revisions"]] == ["Ghi nhận."]
    assert "Ghi nhận." in client.get(response_url(answer)).content.decode()


def test_changing_an_answer_to_not_accepted_without_reason_is_refused(
    draft, drafter, client_for, three
):
    answer = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[three[0].pk], decision=Decision.ACCEPTED
    )
    response = client_for(drafter).post(
        response_url(answer), {"decision": "not_accepted", "reason": ""}
    )

    assert response.status_code == 200
    assert "needs a reason" in messages_of(response)
    answer.refresh_from_db()
    assert answer.decision == Decision.ACCEPTED


def test_the_private_answers_list_publishes_the_selected_ones(
    draft, drafter, client_for, three, django_capture_on_commit_callbacks
):
    first, second, third = (
        responses.response_create(user=drafter, draft=draft, feedback_ids=[c.pk], decision="noted")
        for c in three
    )
    client = client_for(drafter)
    listing = client.get(responses_url(draft))
    assert {row["pk"] for row in listing.context["rows"]} == {first.pk, second.pk, third.pk}

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            responses_url(draft), {"action": "publish", "response": [first.pk, third.pk]}
        )

    assert done.status_code == 302
    published = set(
        Response.objects.filter(published_at__isnull=False).values_list("pk", flat=True)
    )
    assert published == {first.pk, third.pk}
    assert len(mail.outbox) == 2
    remaining = client.get(responses_url(draft))
    assert [row["pk"] for row in remaining.context["rows"]] == [second.pk]
    assert client.get(inbox_url(draft)).context["private_count"] == 1


def test_deleting_a_private_answer_leaves_its_comments_unanswered(
    draft, drafter, client_for, three
):
    answer = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[c.pk for c in three], decision="noted"
    )
    response = client_for(drafter).post(
        responses_url(draft), {"action": "delete", "response": [answer.pk]}, follow=True
    )

    assert response.status_code == 200
    assert not Response.objects.exists()
    assert not Feedback.objects.filter(response__isnull=False).exists()


def test_a_published_answer_cannot_be_deleted(draft, drafter, client_for, three):
    answer = responses.response_create(
        user=drafter, draft=draft, feedback_ids=[three[0].pk], decision="noted", publish=True
    )
    response = client_for(drafter).post(response_url(answer), {"action": "delete"}, follow=True)

    assert "cannot be deleted" in messages_of(response)
    assert Response.objects.filter(pk=answer.pk).exists()
    assert Feedback.objects.get(pk=three[0].pk).response_id == answer.pk


# The synthesis report


def test_publishing_the_synthesis_report_records_when_and_the_inbox_shows_it(
    draft, drafter, client_for
):
    client = client_for(drafter)
    before = client.get(inbox_url(draft)).content.decode()
    assert "data-report-unpublished" in before
    assert f'href="{draft.url}bao-cao/"' in before

    done = client.post(
        report_url(draft), {"introduction": "  Cơ quan đã tổng hợp 3 ý kiến. ", "confirm": "on"}
    )

    assert done.status_code == 302
    report = SynthesisReport.objects.get(draft=draft)
    assert report.published_by == drafter
    assert report.introduction == "Cơ quan đã tổng hợp 3 ý kiến."
    first_published = report.published_at
    after = client.get(inbox_url(draft)).content.decode()
    assert "data-report-published" in after
    assert "Cơ quan đã tổng hợp 3 ý kiến." in client.get(report_url(draft)).content.decode()

    client.post(report_url(draft), {"introduction": "Lời giới thiệu mới."})
    report.refresh_from_db()
    assert report.published_at == first_published
    assert report.introduction == "Lời giới thiệu mới."


# The drafts list and the menu


def test_the_answers_list_shows_the_users_drafts_with_their_counts(
    draft, other_draft, drafter, client_for, three
):
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[three[0].pk], decision="noted", publish=True
    )
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[three[1].pk], decision="noted"
    )
    make_feedback(other_draft)

    page = client_for(drafter).get(INDEX)

    assert page.status_code == 200
    (row,) = page.context["rows"]
    assert row["title"] == draft.title
    assert (row["comments"], row["answered"], row["published"]) == (3, 2, 1)
    assert row["inbox_url"] == inbox_url(draft)
    assert row["report_url"] == f"{draft.url}bao-cao/"


def test_the_answers_menu_item_is_shown_only_to_those_who_answer(
    draft, drafter, client_for, client
):
    assert INDEX in client_for(drafter).get("/admin/").content.decode()

    editor = factories.UserFactory(username="bientap")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert INDEX not in client.get("/admin/").content.decode()
    assert client.get(INDEX).status_code == 403


# Rights


def _urls(draft, answer):
    return [
        INDEX,
        inbox_url(draft),
        responses_url(draft),
        response_url(answer),
    ]


@pytest.fixture
def answer(draft, drafter, three):
    return responses.response_create(
        user=drafter, draft=draft, feedback_ids=[three[0].pk], decision="noted"
    )


def test_anonymous_visitors_are_sent_to_the_admin_login(draft, answer, client):
    for url in [*_urls(draft, answer), report_url(draft)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    for url in [inbox_url(draft), responses_url(draft), response_url(answer), report_url(draft)]:
        response = client.post(url, {"action": "delete", "response": [answer.pk]})
        assert response["Location"].startswith("/admin/login/"), url
    assert Response.objects.filter(pk=answer.pk).exists()
    assert not SynthesisReport.objects.exists()


@pytest.mark.parametrize("who", ["drafter", "admin_user"])
def test_the_drafting_agency_and_site_administrators_open_every_page(
    who, draft, answer, client_for, request
):
    client = client_for(request.getfixturevalue(who))
    for url in _urls(draft, answer):
        assert client.get(url).status_code == 200, url


def test_another_agencys_staff_get_403_on_every_page_and_post(
    draft, answer, three, other_staff, other_draft, client_for
):
    client = client_for(other_staff)
    assert client.get(INDEX).status_code == 200  # their own list, without this draft
    assert [r["title"] for r in client.get(INDEX).context["rows"]] == [other_draft.title]
    for url in _urls(draft, answer)[1:]:
        assert client.get(url).status_code == 403, url

    posts = [
        (inbox_url(draft), {"feedback": [three[1].pk], "decision": "accepted"}),
        (responses_url(draft), {"action": "publish", "response": [answer.pk]}),
        (responses_url(draft), {"action": "delete", "response": [answer.pk]}),
        (response_url(answer), {"decision": "accepted", "reason": "x"}),
        (response_url(answer), {"action": "publish"}),
        (response_url(answer), {"action": "delete"}),
        (report_url(draft), {"introduction": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url

    answer.refresh_from_db()
    assert (answer.decision, answer.published_at) == (Decision.NOTED, None)
    assert Response.objects.count() == 1
    assert Feedback.objects.get(pk=three[1].pk).response is None
    assert not SynthesisReport.objects.exists()


def test_an_answer_of_another_draft_is_not_found_under_this_one(
    draft, other_draft, answer, other_staff, client_for
):
    url = f"{INDEX}{other_draft.pk}/responses/{answer.pk}/"
    assert client_for(other_staff).get(url).status_code == 404
