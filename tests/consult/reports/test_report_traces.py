"""The synthesis report and its exports name, for each comment, the provision of a later draft
version that carries the change ("Khoản 2 Điều 6, Dự thảo 2"; issue 11, point 4)."""

import csv
import io
import json

import openpyxl
import pytest

from consult.answers import services as responses
from consult.answers.models import Decision, Response
from tests.consult.answers.versions import provision, publish_next_version
from tests.consult.reports.test_report_exports import DOCX_HEADERS, built, docx_rows
from tests.factories import agency_staff, make_feedback

pytestmark = pytest.mark.django_db

TRACE = "Khoản 2 Điều 6, Dự thảo 2"
REASON = "Đã bổ sung chỉ tiêu sử dụng đất."
NEW_COLUMN = "Tiếp thu tại (dự thảo sau)"


@pytest.fixture
def traced(draft, agency):
    """Two comments on Dự thảo 1: one accepted at Khoản 2 Điều 6 of Dự thảo 2, one not."""
    drafter = agency_staff(agency, "soanthao")
    comment = make_feedback(
        draft, provision=provision(draft, "dieu-5-khoan-2"), text="Cần nêu rõ chỉ tiêu."
    )
    other = make_feedback(draft, provision=provision(draft, "dieu-1"), text="Về Điều 1.")
    publish_next_version(draft)
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[comment.pk], decision=Decision.ACCEPTED,
        reason=REASON, publish=True,
        resulting_provision_ids=[provision(draft, "dieu-6-khoan-2").pk],
    )  # fmt: skip
    responses.response_create(
        user=drafter, draft=draft, feedback_ids=[other.pk], decision=Decision.NOTED,
        reason="Ghi nhận.", publish=True,
    )  # fmt: skip
    return {"comment": comment, "other": other}


def test_the_report_page_shows_where_each_comment_was_accepted(client, draft, traced):
    # One page per chapter: Điều 1 is in Chương I, Khoản 2 Điều 6 in Chương II.
    html = "".join(
        client.get(f"{draft.url}bao-cao/{chapter}/").content.decode()
        for chapter in ("chuong-1", "chuong-2")
    )

    comment = html[html.index(f'id="c{traced["comment"].pk}"') :]
    comment = comment[: comment.index("</li>")]
    assert "Đã tiếp thu tại" in comment and TRACE in comment
    assert f'href="{draft.url}#dieu-6-khoan-2"' in comment
    other = html[html.index(f'id="c{traced["other"].pk}"') :]
    assert "Đã tiếp thu tại" not in other[: other.index("</li>")]


def test_the_docx_names_the_resulting_provision_in_the_answer_cell(
    client, draft, traced, django_capture_on_commit_callbacks
):
    _export, data = built(client, draft, "docx", django_capture_on_commit_callbacks)
    _document, rows = docx_rows(data)

    assert rows[0] == DOCX_HEADERS  # the filed layout keeps its five columns
    [answer] = [row[4] for row in rows[1:] if "Cần nêu rõ chỉ tiêu." in row[2]]
    assert REASON in answer and f"Đã tiếp thu tại: {TRACE}" in answer
    [other] = [row[4] for row in rows[1:] if "Về Điều 1." in row[2]]
    assert "Ghi nhận." in other and "Đã tiếp thu tại" not in other


def test_xlsx_and_csv_have_a_column_of_the_resulting_provisions(
    client, draft, traced, django_capture_on_commit_callbacks
):
    _export, data = built(client, draft, "xlsx", django_capture_on_commit_callbacks)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header.index(NEW_COLUMN) == header.index("Lý do, giải trình") + 1
    assert header.index("Trả lời đã công bố") == header.index(NEW_COLUMN) + 1
    column = {name: index for index, name in enumerate(header)}
    by_id = {row[column["Mã góp ý"]]: row for row in rows[1:]}
    assert by_id[traced["comment"].pk][column[NEW_COLUMN]] == TRACE
    assert by_id[traced["other"].pk][column[NEW_COLUMN]] in ("", None)

    _export, data = built(client, draft, "csv", django_capture_on_commit_callbacks)
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == header
    by_id = {int(row[column["Mã góp ý"]]): row for row in table[1:]}
    assert by_id[traced["comment"].pk][column[NEW_COLUMN]] == TRACE
    assert TRACE in by_id[traced["comment"].pk][column["Ý kiến giải trình, tiếp thu"]]


def test_json_lists_the_resulting_provisions_of_each_answer(
    client, draft, traced, django_capture_on_commit_callbacks
):
    _export, data = built(client, draft, "json", django_capture_on_commit_callbacks)
    rows = {row["feedback_id"]: row for row in json.loads(data)["rows"]}

    [resulting] = rows[traced["comment"].pk]["answer"]["resulting_provisions"]
    assert resulting == {
        "id": provision(draft, "dieu-6-khoan-2").pk,
        "citation": "Khoản 2 Điều 6",
        "draft_version": 2,
        "label": TRACE,
    }
    assert rows[traced["other"].pk]["answer"]["resulting_provisions"] == []


def test_a_new_trace_makes_a_new_export(client, draft, traced, django_capture_on_commit_callbacks):
    first, _data = built(client, draft, "json", django_capture_on_commit_callbacks)
    response = Response.objects.get(feedback=traced["comment"])
    response.resulting_provisions.add(provision(draft, "dieu-5"))

    second, data = built(client, draft, "json", django_capture_on_commit_callbacks)

    assert second.pk != first.pk
    rows = {row["feedback_id"]: row for row in json.loads(data)["rows"]}
    labels = [p["label"] for p in rows[traced["comment"].pk]["answer"]["resulting_provisions"]]
    assert labels == ["Điều 5, Dự thảo 2", TRACE]
