"""Agency accountability: the figures each agency's record adds up from its drafts' answers,
the ranking of all agencies and its orders, the overdue-report rule, and the command and
beat task that keep the per-draft figures fresh."""

import re
from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consult.accountability import tasks
from consult.accountability.models import DraftFigures
from consult.accountability.selectors import draft_figures_refresh
from consult.answers import services as responses
from consult.answers.models import Response
from consult.feedback.models import Feedback
from consult.reports import services as reports
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

RANKING = "/co-quan/"


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def drafter(agency):
    user = factories.UserFactory(username="drafter")
    agency.staff.add(user)
    return user


def figure(html: str, name: str) -> str:
    """The text of a headline figure on an agency page, e.g. "75% (3/4)"."""
    match = re.search(rf'data-figure="{name}">(.*?)</dd>', html, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def decision_count(html: str, decision: str) -> tuple[int, int]:
    """(comments, percent) of one decision in an agency page's legend."""
    match = re.search(
        rf'data-decision="{decision}">.*?<strong>(\d+)</strong> \((\d+)%\)', html, re.S
    )
    assert match, decision
    return int(match.group(1)), int(match.group(2))


def ranked(client, sort: str | None = None) -> list[str]:
    """Agency codes in the order of the ranking table."""
    response = client.get(RANKING, {"sap-xep": sort} if sort else {})
    assert response.status_code == 200
    return re.findall(r'<tr data-agency="([^"]+)"', response.content.decode())


def closed_draft(home, agency, *, days_ago: float, title: str):
    now = timezone.now()
    return factories.draft_page(
        parent=home,
        agency=agency,
        title=title,
        opens_at=now - timedelta(days=days_ago + 30),
        closes_at=now - timedelta(days=days_ago),
    )


def test_agency_page_adds_up_published_answers_by_decision(
    client, draft, drafter, agency, django_capture_on_commit_callbacks
):
    comments = [make_feedback(draft, text=f"Góp ý {n}") for n in range(5)]
    make_feedback(draft, is_public=False)  # not public: not received
    with django_capture_on_commit_callbacks(execute=True):
        responses.response_create(
            user=drafter, draft=draft, feedback_ids=[comments[0].pk, comments[1].pk],
            decision="accepted", publish=True,
        )  # fmt: skip
        responses.response_create(
            user=drafter, draft=draft, feedback_ids=[comments[2].pk], decision="not_accepted",
            reason="Không phù hợp.", publish=True,
        )  # fmt: skip
        responses.response_create(
            user=drafter, draft=draft, feedback_ids=[comments[3].pk], decision="noted"
        )  # written, not published: not an answer yet

    html = client.get(f"/co-quan/{agency.slug}/").content.decode()
    assert figure(html, "consultations") == "1"
    assert figure(html, "comments") == "5"
    assert figure(html, "answered") == "60% (3/5)"
    assert decision_count(html, "accepted") == (2, 67)
    assert decision_count(html, "not_accepted") == (1, 33)
    assert decision_count(html, "noted") == (0, 0)
    assert f'href="{draft.url}"' in html


def test_median_days_merges_the_delays_of_all_the_agencys_drafts(
    client, home, agency, draft, drafter
):
    second = factories.draft_page(parent=home, agency=agency, title="Dự thảo thứ hai")
    now = timezone.now()
    for page, delays in ((draft, (1, 3)), (second, (10, 12))):
        for days in delays:
            comment = make_feedback(page)
            Feedback.objects.filter(pk=comment.pk).update(submit_date=now - timedelta(days=30))
            response = responses.response_create(
                user=drafter, draft=page, feedback_ids=[comment.pk], decision="accepted",
                publish=True,
            )  # fmt: skip
            Response.objects.filter(pk=response.pk).update(
                published_at=now - timedelta(days=30 - days) + timedelta(hours=1)
            )
        draft_figures_refresh(draft_id=page.pk)

    html = client.get(f"/co-quan/{agency.slug}/").content.decode()
    assert figure(html, "days") == "6.5"  # the median of 1, 3, 10 and 12 days
    assert figure(html, "answered") == "100% (4/4)"


def test_delays_count_whole_days_from_the_comment_to_its_published_answer(draft, drafter):
    now = timezone.now()
    for delay in (timedelta(hours=23), timedelta(hours=47), timedelta(days=3, minutes=1)):
        comment = make_feedback(draft)
        Feedback.objects.filter(pk=comment.pk).update(submit_date=now - timedelta(days=10))
        response = responses.response_create(
            user=drafter, draft=draft, feedback_ids=[comment.pk], decision="accepted",
            publish=True,
        )  # fmt: skip
        Response.objects.filter(pk=response.pk).update(
            published_at=now - timedelta(days=10) + delay
        )

    call_command("figures_refresh", f"--draft={draft.pk}", stdout=StringIO())
    assert DraftFigures.objects.get(draft=draft).delays == {"0": 1, "1": 1, "3": 1}


def test_satisfaction_figures_come_from_the_authors_ratings(
    client, draft, drafter, agency, django_capture_on_commit_callbacks
):
    authors = [factories.UserFactory(username=f"citizen{n}") for n in range(3)]
    comments = [make_feedback(draft, user=author) for author in authors]
    with django_capture_on_commit_callbacks(execute=True):
        responses.response_create(
            user=drafter, draft=draft, feedback_ids=[c.pk for c in comments],
            decision="accepted", publish=True,
        )  # fmt: skip
    for comment, author, satisfied in zip(comments, authors, (True, True, False), strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            responses.satisfaction_record(feedback=comment, satisfied=satisfied, user=author)

    html = client.get(f"/co-quan/{agency.slug}/").content.decode()
    assert figure(html, "satisfaction") == "67% (2/3)"
    assert re.search(r'data-figure="satisfied">2<', html)
    assert re.search(r'data-figure="unsatisfied">1<', html)
    row = re.search(r'<tr data-agency="BTNMT">.*?</tr>', client.get(RANKING).content.decode(), re.S)
    assert "67% <span" in row.group(0)


def test_a_report_is_overdue_once_the_setting_s_days_have_passed_without_it(
    client, home, agency, drafter
):
    late = closed_draft(home, agency, days_ago=40, title="Muộn báo cáo")
    reported = closed_draft(home, agency, days_ago=40, title="Đã có báo cáo")
    recent = closed_draft(home, agency, days_ago=5, title="Mới kết thúc")
    factories.draft_page(parent=home, agency=agency, title="Đang lấy ý kiến")
    reports.report_publish(user=drafter, draft=reported)
    url = f"/co-quan/{agency.slug}/"

    html = client.get(url).content.decode()
    assert figure(html, "overdue") == "1"
    assert re.search(rf'data-draft="{late.pk}".*?Overdue by 10 days', html, re.S)
    assert re.search(rf'data-draft="{reported.pk}".*?report--published', html, re.S)
    assert re.search(rf'data-draft="{recent.pk}".*?report--due', html, re.S)
    assert f'href="{late.url}bao-cao/"' in html
    assert re.search(
        r'data-agency="BTNMT">.*?data-figure="overdue">1<',
        client.get(RANKING).content.decode(),
        re.S,
    )

    with override_settings(REPORT_OVERDUE_DAYS=50):
        html = client.get(url).content.decode()
    assert figure(html, "overdue") == "0"
    assert re.search(rf'data-draft="{late.pk}".*?report--due', html, re.S)

    with override_settings(REPORT_OVERDUE_DAYS=3):
        assert figure(client.get(url).content.decode(), "overdue") == "2"


def test_a_draft_without_figures_yet_counts_as_held_but_not_counted(client, draft, agency, home):
    make_feedback(draft)
    factories.draft_page(parent=home, agency=agency, title="Sắp lấy ý kiến",
                         opens_at=timezone.now() + timedelta(days=3),
                         closes_at=timezone.now() + timedelta(days=40))  # fmt: skip
    factories.draft_page(parent=home, agency=agency, title="Chưa đăng", publish=False)
    assert not DraftFigures.objects.exists()

    response = client.get(f"/co-quan/{agency.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert figure(html, "consultations") == "1"  # upcoming and unpublished drafts are not held
    assert figure(html, "comments") == "0"
    assert figure(html, "answered") == "—"
    assert "1 consultation has not been counted yet" in html
    assert "Not counted yet" in html
    ranking = client.get(RANKING).content.decode()
    assert "(1 not counted yet)" in ranking
    assert "No figures have been computed yet." in ranking


def test_agency_pages_are_found_by_slug_or_code_and_unknown_ones_are_404(client, agency):
    assert client.get(f"/co-quan/{agency.slug}/").status_code == 200
    assert client.get(f"/co-quan/{agency.code}/").status_code == 200
    assert client.get("/co-quan/khong-co/").status_code == 404


@pytest.fixture
def four_agencies(home):
    """Agencies whose figures order differently by every key; D has held nothing."""
    specs = {
        # code: (comments, answered, delay days, overdue drafts, satisfied, unsatisfied)
        "A": (10, 9, 5, 0, 1, 3),
        "B": (100, 50, 1, 2, 3, 0),
        "C": (40, 30, 10, 1, 1, 1),
    }
    for code, (comments, answered, days, overdue, yes, no) in specs.items():
        agency = factories.AgencyFactory(name=f"Bộ {code}", code=code, slug=code.lower())
        page = factories.draft_page(parent=home, agency=agency, title=f"Dự thảo {code}")
        DraftFigures.objects.create(
            draft=page, feedback_count=comments, answered_count=answered,
            decisions={"accepted": answered}, delays={str(days): answered},
            satisfied_count=yes, unsatisfied_count=no,
        )  # fmt: skip
        for n in range(overdue):
            late = closed_draft(home, agency, days_ago=60, title=f"Cũ {code} {n}")
            DraftFigures.objects.create(draft=late)
    factories.AgencyFactory(name="Bộ D", code="D", slug="d")


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (None, ["A", "C", "B", "D"]),
        ("tra-loi", ["A", "C", "B", "D"]),
        ("so-ngay", ["B", "A", "C", "D"]),
        ("gop-y", ["B", "C", "A", "D"]),
        ("bao-cao-qua-han", ["B", "C", "A", "D"]),
        ("hai-long", ["B", "C", "A", "D"]),
        ("khong-biet", ["A", "C", "B", "D"]),
    ],
)
def test_the_ranking_sorts_by_each_figure(client, four_agencies, sort, order):
    assert ranked(client, sort) == order


def test_the_ranking_marks_the_sorted_column_and_links_the_others(client, four_agencies):
    html = client.get(RANKING, {"sap-xep": "so-ngay"}).content.decode()
    assert html.count("aria-sort=") == 1
    assert 'aria-sort="ascending"' in html
    assert 'href="?sap-xep=tra-loi"' in html and 'href="?sap-xep=so-ngay"' not in html
    assert '<svg class="bars__bar" width="90%"' in html  # A's bar of share answered
    assert "Figures as of" in html


def test_the_ranking_reads_the_same_number_of_queries_whatever_the_feedback(client, home, agency):
    page = factories.draft_page(parent=home, agency=agency)
    make_feedback(page)
    draft_figures_refresh(draft_id=page.pk)
    client.get(RANKING)
    client.get(f"/co-quan/{agency.slug}/")
    with CaptureQueriesContext(connection) as few:
        client.get(RANKING)
    with CaptureQueriesContext(connection) as few_agency:
        client.get(f"/co-quan/{agency.slug}/")

    for n in range(4):
        other = factories.AgencyFactory(name=f"Bộ khác {n}", code=f"KHAC{n}")
        for m in range(3):
            for target in (factories.draft_page(parent=home, agency=other, title=f"{n}-{m}"), page):
                for _ in range(3):
                    make_feedback(target)
                draft_figures_refresh(draft_id=target.pk)
    factories.draft_page(parent=home, agency=agency, title="Chưa đếm")
    with CaptureQueriesContext(connection) as many:
        assert client.get(RANKING).status_code == 200
    with CaptureQueriesContext(connection) as many_agency:
        client.get(f"/co-quan/{agency.slug}/")

    assert len(ranked(client)) == 5
    assert len(many) == len(few) <= 3
    assert len(many_agency) == len(few_agency)
    assert not any("consult_feedback" in q["sql"] for q in many.captured_queries)


def test_the_command_recomputes_every_drafts_figures_or_one(home, agency, draft):
    other = factories.draft_page(parent=home, agency=agency, title="Dự thảo khác")
    make_feedback(draft)
    make_feedback(other)
    make_feedback(other)

    out = StringIO()
    call_command("figures_refresh", f"--draft={other.pk}", stdout=out)
    assert "Refreshed the figures of 1 draft " in out.getvalue()
    assert list(DraftFigures.objects.values_list("draft_id", "feedback_count")) == [(other.pk, 2)]

    out = StringIO()
    call_command("figures_refresh", stdout=out)
    assert "Refreshed the figures of 2 drafts" in out.getvalue()
    assert DraftFigures.objects.get(draft=draft).feedback_count == 1

    with pytest.raises(CommandError):
        call_command("figures_refresh", "--draft=999999")


def test_the_beat_task_refreshes_open_and_recently_closed_drafts(home, agency, draft):
    recent = closed_draft(home, agency, days_ago=10, title="Mới kết thúc")
    old = closed_draft(home, agency, days_ago=100, title="Đã lâu")
    upcoming = factories.draft_page(
        parent=home, agency=agency, title="Sắp mở",
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=9),
    )  # fmt: skip
    for page in (draft, recent, old, upcoming):
        make_feedback(page)
    DraftFigures.objects.create(draft=draft, feedback_count=0)  # stale: a comment came since

    assert tasks.draft_figures_refresh_active.delay().get() == 2
    assert dict(DraftFigures.objects.values_list("draft_id", "feedback_count")) == {
        draft.pk: 1,
        recent.pk: 1,
    }
    schedule = settings.CELERY_BEAT_SCHEDULE["draft-figures-refresh-active"]
    assert schedule["task"] == tasks.draft_figures_refresh_active.name
    assert schedule["schedule"] == 600


def test_changes_made_because_of_comments_count_each_traced_provision_once(
    client, draft, drafter, agency, django_capture_on_commit_callbacks
):
    """Issue 11, point 4: distinct provisions of later versions that published accepted or
    partly accepted answers point at; twenty comments accepted in one clause make one change."""
    from consult.answers.models import Decision
    from tests.consult.answers.versions import provision, publish_next_version

    comments = [
        make_feedback(draft, provision=provision(draft, "dieu-5-khoan-2"), text=f"Góp ý {n}")
        for n in range(4)
    ]
    publish_next_version(draft)
    clause, article = provision(draft, "dieu-6-khoan-2"), provision(draft, "dieu-5")

    def answer(comment, decision, resulting, *, publish=True):
        return responses.response_create(
            user=drafter, draft=draft, feedback_ids=[comment.pk], decision=decision,
            reason="Lý do.", publish=publish, resulting_provision_ids=[p.pk for p in resulting],
        )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        answer(comments[0], Decision.ACCEPTED, [clause])
        answer(comments[1], Decision.PARTLY, [clause, article])
        answer(comments[2], Decision.ACCEPTED, [provision(draft, "dieu-1")], publish=False)
        answer(comments[3], Decision.NOTED, [])

    assert DraftFigures.objects.get(draft=draft).changes_count == 2
    html = client.get(f"/co-quan/{agency.slug}/").content.decode()
    assert "Changes made because of comments" in html
    assert figure(html, "changes") == "2"
    assert re.search(rf'<tr data-draft="{draft.pk}">.*?data-figure="changes">2<', html, re.S)
    ranking = client.get(RANKING).content.decode()
    assert re.search(r'data-agency="BTNMT">.*?data-figure="changes">2<', ranking, re.S)

    with django_capture_on_commit_callbacks(execute=True):
        responses.response_update(
            user=drafter, response=Response.objects.get(feedback=comments[1]),
            decision=Decision.NOT_ACCEPTED, reason="Giữ nguyên.",
        )  # fmt: skip
    assert DraftFigures.objects.get(draft=draft).changes_count == 1


# Issue 12, item 7: the figures follow a comment as it arrives, and say when they were computed


def ranking_comments(html: str, agency) -> str:
    row = html.split(f'data-agency="{agency.code}"', 1)[1].split("</tr>", 1)[0]
    return re.search(r'data-figure="comments">(\d+)<', row).group(1)


def test_a_posted_comment_is_counted_at_once_and_agrees_with_the_inbox(
    client, draft, agency, drafter, django_capture_on_commit_callbacks
):
    from tests.consult.posting import post_feedback

    for n in range(2):
        make_feedback(draft, text=f"Góp ý cũ {n}")
    draft_figures_refresh(draft_id=draft.pk)
    assert ranking_comments(client.get(RANKING).content.decode(), agency) == "2"

    citizen = factories.UserFactory(username="nguoidan", email="nguoidan@example.vn")
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        posted, _ = post_feedback(
            client, f"{draft.url}gop-y/dieu-1/", comment="Góp ý mới về Điều 1.", stance="agree"
        )
    assert posted.status_code == 302
    assert Feedback.objects.filter(comment="Góp ý mới về Điều 1.", is_public=True).exists()

    assert ranking_comments(client.get(RANKING).content.decode(), agency) == "3"
    assert figure(client.get(f"/co-quan/{agency.slug}/").content.decode(), "comments") == "3"

    drafter.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(drafter)
    inbox = client.get(f"/admin/consult/answers/{draft.pk}/")
    assert inbox.context["counts"]["comments"] == 3


def test_the_figures_say_plainly_when_they_were_computed(client, draft, agency):
    make_feedback(draft)
    figures = draft_figures_refresh(draft_id=draft.pk)
    when = timezone.localtime(figures.refreshed_at, ZoneInfo("Asia/Ho_Chi_Minh"))
    client.cookies["django_language"] = "vi"

    expected = f'Số liệu tính lúc <time datetime="{when.isoformat()}">{when:%H:%M %d/%m/%Y}</time>'
    for url in (RANKING, f"/co-quan/{agency.slug}/"):
        html = client.get(url).content.decode()
        assert expected in html, url


def test_the_draft_page_links_the_drafting_agency_to_its_accountability_page(client, draft):
    agency = draft.agency
    html = client.get(draft.url).content.decode()
    link = f'<a class="draft-header__agency-link" href="/co-quan/{agency.slug}/">{agency.name}</a>'
    assert link in html
    page = client.get(f"/co-quan/{agency.slug}/").content.decode()
    assert agency.name in page and "Sign in to follow" in page  # where it is followed
    # An earlier version's page has the same heading.
    page = draft.get_latest_revision_as_object()
    page.version_number = 2
    page.save_revision().publish()
    assert link in client.get(f"{draft.url}phien-ban/1/").content.decode()
