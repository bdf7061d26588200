"""Every change traced (issue 11, point 4): an answer points at the provisions of a later draft
version that carry the change ("đã tiếp thu tại Khoản 2 Điều 6, Dự thảo 2"), in the inbox, the
bulk answer and the answer's page, under the comment on the public conversation, and in the
version comparison (drafts.hooks.version_comparison_traces)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from consult.answers import services as responses
from consult.answers.models import Decision, Response, ResponseRevision
from consult.answers.traces import version_comparison_traces
from drafts import hooks as draft_hooks
from drafts.models import DraftVersion
from tests import factories
from tests.consult.answers.versions import NEW_CLAUSE_TEXT, provision, publish_next_version
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

INBOX = "/admin/consult/answers/{}/"
BULK = "/admin/bulk/feedback/feedback/answer/"


@pytest.fixture(autouse=True)
def _vietnamese():
    """The services' messages in the site's language, whatever a test before left active."""
    with translation.override("vi"):
        yield


@pytest.fixture
def drafter(agency):
    return factories.agency_staff(agency, "soanthao.btnmt", admin_language="en")


@pytest.fixture
def comment(draft):
    """A comment on Khoản 2 Điều 5 of Dự thảo 1."""
    return make_feedback(
        draft, provision=provision(draft, "dieu-5-khoan-2"), text="Cần nêu rõ chỉ tiêu.",
        stance="change",
    )  # fmt: skip


@pytest.fixture
def second(draft, comment):
    """Dự thảo 2: Điều 5 renumbered Điều 6, its Khoản 2 reworded, a new Điều 5."""
    publish_next_version(draft)
    return provision(draft, "dieu-6-khoan-2")


def accept(drafter, draft, comments, resulting, *, publish=True, decision=Decision.ACCEPTED):
    return responses.response_create(
        user=drafter, draft=draft, feedback_ids=[c.pk for c in comments], decision=decision,
        reason="Đã bổ sung chỉ tiêu.", publish=publish,
        resulting_provision_ids=[p.pk for p in resulting],
    )  # fmt: skip


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


# The rule


def test_an_answer_points_at_the_provision_of_the_later_version(drafter, draft, comment, second):
    response = accept(drafter, draft, [comment], [second])

    assert list(response.resulting_provisions.all()) == [second]
    assert second.version.number == 2 and second.citation == "Khoản 2 Điều 6"
    assert second.text == NEW_CLAUSE_TEXT
    assert list(second.traced_responses.all()) == [response]


@pytest.mark.parametrize(
    "pick, message",
    [
        ("same_version", "không thuộc dự thảo sau dự thảo mà góp ý"),
        ("other_draft", "phải là điều khoản của dự thảo này"),
        ("withdrawn", "không còn trong văn bản"),
    ],
)
def test_a_provision_that_cannot_carry_the_change_is_refused(
    drafter, draft, agency, comment, second, pick, message
):
    if pick == "same_version":
        chosen = provision(draft, "dieu-5-khoan-2", version=1)
    elif pick == "other_draft":
        other = factories.draft_page(agency=agency, title="Dự thảo khác", slug="khac")
        publish_next_version(other)
        chosen = provision(other, "dieu-6-khoan-2")
    else:
        page = draft.get_latest_revision_as_object()
        page.body = [
            dict(b) for b in page.body.raw_data
            if not (b["type"] == "article" and b["value"]["number"] == "6")
        ]  # fmt: skip
        page.save_revision().publish()  # Dự thảo 2 republished in place, without Điều 6
        second.refresh_from_db()
        chosen = second
        assert chosen.withdrawn

    with pytest.raises(ValidationError) as refused:
        accept(drafter, draft, [comment], [chosen])

    assert message in " ".join(refused.value.messages)
    assert not Response.objects.exists()


def test_only_an_accepted_answer_points_at_a_change(drafter, draft, comment, second):
    with pytest.raises(ValidationError) as refused:
        accept(drafter, draft, [comment], [second], decision=Decision.NOTED)
    assert "tiếp thu hoặc tiếp thu một phần" in refused.value.messages[0]


def test_a_comment_on_the_whole_draft_is_of_the_version_current_when_posted(drafter, draft, second):
    before = make_feedback(draft, text="Góp ý chung trên Dự thảo 1.")
    DraftVersion.objects.filter(page=draft, number=2).update(
        first_published_at=before.submit_date.replace(year=before.submit_date.year + 1)
    )  # Dự thảo 2 came after the first comment …
    after = make_feedback(
        draft, text="Góp ý chung trên Dự thảo 2.",
        submit_date=before.submit_date.replace(year=before.submit_date.year + 2),
    )  # fmt: skip  # … and before the second

    assert accept(drafter, draft, [before], [second]).resulting_provisions.count() == 1
    with pytest.raises(ValidationError) as refused:
        accept(drafter, draft, [after], [second])
    assert f"#{after.pk}" in refused.value.messages[0] and "Dự thảo 2" in refused.value.messages[0]


def test_changing_a_published_answers_provisions_keeps_the_earlier_ones(
    drafter, draft, comment, second
):
    response = accept(drafter, draft, [comment], [second])
    article = provision(draft, "dieu-6")

    responses.response_update(
        user=drafter, response=response, decision=Decision.ACCEPTED,
        reason=response.reason, resulting_provision_ids=[article.pk],
    )  # fmt: skip

    assert list(response.resulting_provisions.all()) == [article]
    earlier = ResponseRevision.objects.get(response=response)
    assert earlier.resulting == "Khoản 2 Điều 6, Dự thảo 2"
    assert earlier.decision == Decision.ACCEPTED

    responses.response_update(
        user=drafter, response=response, decision=Decision.NOT_ACCEPTED, reason="Giữ nguyên."
    )
    assert not response.resulting_provisions.exists()  # nothing changed in the text
    assert ResponseRevision.objects.filter(response=response).first().resulting == (
        "Điều 6, Dự thảo 2"
    )


# The inbox, the bulk answer, the answer's page


def test_the_inbox_offers_the_later_versions_provisions_grouped(
    client, drafter, draft, comment, second
):
    html = signed_in(client, drafter).get(INBOX.format(draft.pk)).content.decode()

    select = re.search(r'<select name="resulting_provisions".*?</select>', html, re.S).group(0)
    assert "multiple" in select and '<optgroup label="Draft 2">' in select
    assert f'<option value="{second.pk}">' in select
    assert "Khoản 2 Điều 6" in select
    assert f'value="{provision(draft, "dieu-5-khoan-2", version=1).pk}"' not in select


def test_the_inbox_offers_no_such_field_without_a_later_version(client, drafter, draft, comment):
    html = signed_in(client, drafter).get(INBOX.format(draft.pk)).content.decode()
    assert "resulting_provisions" not in html


def test_answering_in_the_inbox_traces_the_change_and_shows_it(
    client, drafter, draft, comment, second
):
    client = signed_in(client, drafter)
    url = INBOX.format(draft.pk)
    done = client.post(
        url,
        {"feedback": [comment.pk], "decision": "accepted", "reason": "Đã sửa.",
         "resulting_provisions": [second.pk]},
    )  # fmt: skip

    assert done.status_code == 302
    response = Response.objects.get()
    assert list(response.resulting_provisions.all()) == [second]
    row = re.search(
        rf'<tr data-feedback="{comment.pk}".*?</tr>', client.get(url).content.decode(), re.S
    ).group(0)
    assert "Accepted at" in row and "Khoản 2 Điều 6, Draft 2" in row
    assert f'href="{draft.url}#dieu-6-khoan-2"' in row


def test_the_inbox_refuses_a_trace_to_the_commented_version_and_keeps_the_form(
    client, drafter, draft, comment, second
):
    newer = make_feedback(draft, provision=second, text="Góp ý trên Dự thảo 2.")
    page = signed_in(client, drafter).post(
        INBOX.format(draft.pk),
        {"feedback": [newer.pk], "decision": "accepted", "resulting_provisions": [second.pk]},
    )

    assert page.status_code == 200
    assert "is not in a draft version later than the one comment" in page.content.decode()
    assert not Response.objects.exists()


def test_the_bulk_answer_traces_the_change(client, drafter, draft, comment, second):
    client = signed_in(client, drafter)
    others = make_feedback(draft, provision=provision(draft, "dieu-1", version=1), text="Điều 1")
    query = f"?id={comment.pk}&id={others.pk}&next={INBOX.format(draft.pk)}"

    page = client.get(BULK + query).content.decode()
    assert 'name="resulting_provisions"' in page and f'value="{second.pk}"' in page

    done = client.post(
        BULK + query,
        {"decision": "partly", "reason": "Tiếp thu một phần.", "resulting_provisions": [second.pk]},
    )
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.feedback.count() == 2
    assert list(response.resulting_provisions.all()) == [second]


def test_the_answers_page_changes_and_shows_the_trace(client, drafter, draft, comment, second):
    response = accept(drafter, draft, [comment], [], publish=False)
    client = signed_in(client, drafter)
    url = reverse("answers_admin:response_edit", args=[draft.pk, response.pk])
    page = client.get(url)
    assert page.status_code == 200, url
    assert 'name="resulting_provisions"' in page.content.decode()

    client.post(
        url,
        {"action": "save", "decision": "accepted", "reason": "Đã bổ sung chỉ tiêu.",
         "resulting_provisions": [second.pk, provision(draft, "dieu-5").pk]},
    )  # fmt: skip

    assert set(response.resulting_provisions.values_list("anchor", flat=True)) == {
        "dieu-6-khoan-2", "dieu-5",
    }  # fmt: skip
    html = client.get(url).content.decode()
    current = re.search(r"data-answer-current.*?</section>", html, re.S).group(0)
    assert "Điều 5, Draft 2" in current and "Khoản 2 Điều 6, Draft 2" in current


# The public conversation


def test_the_public_sees_where_the_comment_was_accepted(client, drafter, draft, second):
    author = factories.UserFactory(username="tacgia")
    on_article = make_feedback(
        draft, provision=provision(draft, "dieu-1", version=1), text="Về Điều 1.", user=author
    )
    accept(drafter, draft, [on_article], [second])
    client.force_login(author)

    # The author's list of their comments: a list of feedback with what COMMENT_EXTRAS add,
    # as the conversation has (it lists the current version's comments, and a traced comment
    # is always on an earlier one).
    html = client.get("/tai-khoan/gop-y/").content.decode()

    answer = re.search(r'<div role="group" class="answer.*?data-answer-traces>.*?</p>', html, re.S)
    answer = answer.group(0)
    assert "Đã tiếp thu tại" in answer
    assert f'<a href="{draft.url}#dieu-6-khoan-2"' in answer
    assert "Khoản 2 Điều 6, Dự thảo 2" in answer


def test_a_trace_to_an_older_version_links_to_that_versions_page(client, drafter, draft, second):
    author = factories.UserFactory(username="tacgia")
    comment = make_feedback(
        draft, provision=provision(draft, "dieu-1", version=1), text="Về Điều 1.", user=author
    )
    accept(drafter, draft, [comment], [second])
    publish_next_version(draft, edit=False)  # Dự thảo 3, the same text
    client.force_login(author)

    html = client.get("/tai-khoan/gop-y/").content.decode()
    assert f'href="{draft.url}phien-ban/2/#dieu-6-khoan-2"' in html


# The version comparison


def test_the_comparison_hook_lists_the_accepted_comments_under_the_new_provision(
    drafter, draft, comment, second
):
    noted = make_feedback(draft, provision=provision(draft, "dieu-1", version=1), text="Ghi nhận")
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[noted.pk], decision=Decision.NOTED, publish=True
    )
    private = make_feedback(draft, provision=provision(draft, "dieu-1", version=1), text="Riêng")
    accept(drafter, draft, [private], [second], publish=False)
    accept(drafter, draft, [comment], [second])
    old, new = (DraftVersion.objects.get(page=draft, number=n) for n in (1, 2))

    found = version_comparison_traces(page=draft, old=old, new=new)

    assert list(found) == [str(second.key)]
    [trace] = found[str(second.key)]
    assert trace["citation"] == "Khoản 2 Điều 5"
    assert trace["version_number"] == 1
    assert trace["excerpt"] == "Cần nêu rõ chỉ tiêu."
    assert trace["author"] == comment.public_name
    assert trace["decision_label"] in ("Tiếp thu", "Accepted")
    assert trace["url"] == f"/gop-y/{comment.pk}/"
    assert draft_hooks.version_comparison_traces(page=draft, old=old, new=new) == found
    assert version_comparison_traces(page=draft, old=new, new=old) == {}
