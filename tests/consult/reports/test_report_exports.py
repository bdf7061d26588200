"""Exports of the synthesis report: the DOCX agencies file, XLSX, CSV and JSON, built by a task
that reports its progress, reused while the report is unchanged, and readable by whom the
scope allows."""

import codecs
import csv
import io
import json
import os
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from consult.answers import services as responses
from consult.answers.models import Decision, Response
from consult.reports import formats as exports
from consult.reports.models import ReportExport
from drafts.models import Provision
from tests import factories
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

DOCX_HEADERS = [
    "TT",
    "Nội dung dự thảo",
    "Nội dung góp ý",
    "Đơn vị / người góp ý",
    "Ý kiến giải trình, tiếp thu",
]
PUBLISHED_REASON = "Đã sửa Điều 1 theo hướng làm rõ phạm vi."
UNPUBLISHED_REASON = "Sẽ cân nhắc khi chỉnh lý Khoản 1 Điều 2."
WHOLE_REASON = "Ghi nhận ý kiến chung."


@pytest.fixture
def drafter(agency):
    user = factories.UserFactory(username="drafter")
    agency.staff.add(user)
    return user


@pytest.fixture
def outsider(db):
    other = factories.AgencyFactory(name="Bộ Khác", code="BK")
    user = factories.UserFactory(username="outsider")
    other.staff.add(user)
    return user


@pytest.fixture
def report(draft, drafter):
    """Five published comments in the order of the draft, a pending one and a reply (neither
    in the report), answers published and not."""
    article = Provision.objects.get(version__page=draft, kind="article", number="1")
    clause = Provision.objects.get(version__page=draft, kind="clause", citation="Khoản 1 Điều 2")
    point = Provision.objects.filter(version__page=draft, kind="point").first()
    # Written out of order: the report follows the draft, not the clock.
    whole = make_feedback(draft, text="Dự thảo cần đánh giá tác động kỹ hơn.", stance="change")
    first = make_feedback(
        draft,
        provision=article,
        text="Cần làm rõ phạm vi đất đai.\nNhất là đất nông nghiệp.",
        stance="change",
        proposed_wording="Luật này quy định về quản lý và sử dụng đất đai.",
        respondent_type="business",
        organisation="Công ty Cổ phần Thử nghiệm",
        province="ha-noi",
    )
    second = make_feedback(
        draft, provision=article, text="Đồng ý với Điều 1.", show_name=False, stance="agree"
    )
    on_clause = make_feedback(
        draft, provision=clause, text="Cơ quan nào cụ thể?", stance="question"
    )
    on_point = make_feedback(draft, provision=point, text="Bổ sung <b>người</b> & \x0bkhác.")
    make_feedback(draft, provision=article, text="Chưa duyệt.", is_public=False)
    reply = make_feedback(draft, provision=article, text="Trả lời ý kiến.", parent_id=first.pk)
    assert reply.level == 1
    responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[first.pk, second.pk],
        decision=Decision.ACCEPTED,
        reason=PUBLISHED_REASON,
        publish=True,
    )
    responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[on_clause.pk],
        decision=Decision.PARTLY,
        reason=UNPUBLISHED_REASON,
    )
    responses.response_create(
        user=drafter,
        draft=draft,
        feedback_ids=[whole.pk],
        decision=Decision.NOTED,
        reason=WHOLE_REASON,
        publish=True,
    )
    return {
        "first": first,
        "second": second,
        "clause": on_clause,
        "point": on_point,
        "whole": whole,
    }


def request_url(draft, format, *, scope=None):
    return f"/gop-y/bao-cao/{draft.pk}/xuat/{format}/"


def ask(client, draft, format, *, scope="public", capture=None):
    """POST the export form as the report page does; with `capture`, run the task too."""
    data = {"scope": scope} if scope != "public" else {}
    if capture is None:
        return client.post(request_url(draft, format), data)
    with capture(execute=True):
        return client.post(request_url(draft, format), data)


def export_of(response) -> ReportExport:
    assert response.status_code == 302, response.status_code
    assert response.url.startswith("/gop-y/xuat/")
    return ReportExport.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def download(client, export: ReportExport) -> bytes:
    response = client.get(f"/gop-y/xuat/{export.pk}/tai-ve/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def built(client, draft, format, capture, *, scope="public") -> tuple[ReportExport, bytes]:
    export = export_of(ask(client, draft, format, scope=scope, capture=capture))
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE, export.error
    return export, download(client, export)


def docx_rows(data: bytes) -> tuple[Document, list[list[str]]]:
    document = Document(io.BytesIO(data))
    table = document.tables[0]
    return document, [[cell.text for cell in row.cells] for row in table.rows]


# DOCX


def test_docx_is_the_filed_layout_in_times_new_roman_on_a4(
    client, draft, report, django_capture_on_commit_callbacks
):
    export, data = built(client, draft, "docx", django_capture_on_commit_callbacks)
    document, rows = docx_rows(data)

    assert document.paragraphs[0].text == "BẢN TỔNG HỢP, GIẢI TRÌNH, TIẾP THU Ý KIẾN"
    assert draft.title in document.paragraphs[1].text
    assert draft.agency.name in "\n".join(p.text for p in document.paragraphs[:4])
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert {round(section.page_width.mm), round(section.page_height.mm)} == {297, 210}
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 13
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:cs")) == "Times New Roman"
    cell_paragraph = document.tables[0].rows[1].cells[2].paragraphs[0]
    assert cell_paragraph.style.font.size.pt == 12
    assert cell_paragraph.style.font.name == "Times New Roman"

    assert rows[0] == DOCX_HEADERS
    header_props = document.tables[0].rows[0]._tr.trPr
    assert header_props.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert len(rows) == 1 + 5
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5"]


def test_docx_rows_follow_the_draft_with_published_answers_only(
    client, draft, report, django_capture_on_commit_callbacks
):
    _export, data = built(client, draft, "docx", django_capture_on_commit_callbacks)
    document, rows = docx_rows(data)
    first, second, clause, point, whole = rows[1:]

    assert first[1].startswith("Điều 1. Phạm vi điều chỉnh")
    assert "Luật này quy định về đất đai." in first[1]
    assert "Cần làm rõ phạm vi đất đai.\nNhất là đất nông nghiệp." in first[2]
    assert "Luật này quy định về quản lý và sử dụng đất đai." in first[2]
    assert first[3].startswith("Công ty Cổ phần Thử nghiệm")
    assert PUBLISHED_REASON in first[4]

    assert second[1] == first[1]  # the same provision cell, merged down
    table = document.tables[0]
    merge = table.rows[2]._tr.tc_lst[1].tcPr.find(qn("w:vMerge"))
    assert merge is not None and merge.get(qn("w:val")) in (None, "continue")
    assert "Đồng ý với Điều 1." in second[2]
    assert second[3].startswith("Ẩn danh")
    assert PUBLISHED_REASON in second[4]

    assert clause[1].startswith("Khoản 1 Điều 2")
    assert "Cơ quan nào cụ thể?" in clause[2]
    assert clause[4] == ""  # its answer is not published
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert UNPUBLISHED_REASON not in package.read("word/document.xml").decode()

    assert "Bổ sung <b>người</b> & khác." in point[2]  # escaped, control character dropped
    assert WHOLE_REASON in whole[4]
    assert "Dự thảo cần đánh giá tác động kỹ hơn." in whole[2]
    assert all("Chưa duyệt." not in row[2] and "Trả lời ý kiến." not in row[2] for row in rows)
    assert "Tổng số: 5 ý kiến." in document.paragraphs[-2].text


def test_internal_docx_shows_unpublished_answers_marked(
    client, draft, report, drafter, django_capture_on_commit_callbacks
):
    client.force_login(drafter)
    export, data = built(
        client, draft, "docx", django_capture_on_commit_callbacks, scope="internal"
    )
    _document, rows = docx_rows(data)
    assert export.scope == "internal"
    clause = rows[3]
    assert UNPUBLISHED_REASON in clause[4]
    assert "(chưa công bố)" in clause[4]
    assert "(chưa công bố)" not in rows[1][4]


# XLSX, CSV, JSON


def test_xlsx_has_a_frozen_header_and_one_row_per_comment(
    client, draft, report, django_capture_on_commit_callbacks
):
    _export, data = built(client, draft, "xlsx", django_capture_on_commit_callbacks)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert list(header[:5]) == DOCX_HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].alignment.wrap_text
    assert sheet.column_dimensions["C"].width > 20
    assert len(rows) == 6
    column = {name: index for index, name in enumerate(header)}
    by_id = {row[column["Mã góp ý"]]: row for row in rows[1:]}
    first = by_id[report["first"].pk]
    assert first[column["TT"]] == 1
    assert first[column["Điều khoản"]] == "Điều 1"
    assert first[column["Lý do, giải trình"]] == PUBLISHED_REASON
    assert first[column["Trả lời đã công bố"]] == "Có"
    assert first[column["Tỉnh, thành phố"]] == "Thành phố Hà Nội"
    assert first[column["Đề xuất sửa đổi"]] == "Luật này quy định về quản lý và sử dụng đất đai."
    assert (
        first[column["Ngày góp ý"]].date() == timezone.localtime(report["first"].submit_date).date()
    )
    clause = by_id[report["clause"].pk]
    assert clause[column["Lý do, giải trình"]] in ("", None)
    assert clause[column["Kết quả tiếp thu"]] in ("", None)


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(
    client, draft, django_capture_on_commit_callbacks
):
    make_feedback(draft, text='=HYPERLINK("http://x","y")')
    _export, data = built(client, draft, "xlsx", django_capture_on_commit_callbacks)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["C2"].data_type == "s"


def test_csv_is_utf8_with_bom_and_keeps_vietnamese(
    client, draft, report, django_capture_on_commit_callbacks
):
    export, data = built(client, draft, "csv", django_capture_on_commit_callbacks)
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == DOCX_HEADERS
    assert len(rows) == 6
    assert rows[1][1].startswith("Điều 1")
    assert "đất đai" in rows[1][2]
    assert rows[1][12] == PUBLISHED_REASON
    assert rows[5][5] == "Toàn bộ dự thảo"


def test_json_is_one_document_with_the_draft_and_rows(
    client, draft, report, django_capture_on_commit_callbacks
):
    _export, data = built(client, draft, "json", django_capture_on_commit_callbacks)
    document = json.loads(data)
    assert document["draft"]["title"] == draft.title
    assert document["draft"]["agency"] == draft.agency.name
    assert document["scope"] == "public"
    # Built from the configured public base URL (WAGTAILADMIN_BASE_URL), not the Wagtail
    # site's placeholder hostname "http://localhost/".
    assert document["draft"]["url"] == f"{settings.WAGTAILADMIN_BASE_URL}{draft.url}"
    assert document["generated_at"]
    rows = document["rows"]
    assert [row["feedback_id"] for row in rows] == [
        report[name].pk for name in ("first", "second", "clause", "point", "whole")
    ]
    assert rows[0]["provision"]["citation"] == "Điều 1"
    assert rows[0]["answer"]["reason"] == PUBLISHED_REASON
    assert rows[0]["answer"]["published"] is True
    assert rows[2]["answer"] is None
    assert rows[4]["provision"] is None


def test_exports_name_an_author_as_the_comment_shows_them_never_by_username(
    client, draft, django_capture_on_commit_callbacks
):
    """Comments stored before sign-up asked for a display name carry the username as their
    name: the report calls them "Ẩn danh" as the comment page does (issue 12)."""
    article = Provision.objects.get(version__page=draft, kind="article", number="1")
    named = factories.UserFactory(username="hoa1990", first_name="Trần Thị Hoa")
    unnamed = factories.UserFactory(username="nguoidan42")
    make_feedback(draft, provision=article, user=named, text="Có tên.")
    make_feedback(draft, provision=article, user=unnamed, text="Tên tài khoản.")
    typed = make_feedback(draft, provision=article, text="Tên tự điền.")
    type(typed).objects.filter(pk=typed.pk).update(user_name="Lê Văn Nam")
    _export, data = built(client, draft, "json", django_capture_on_commit_callbacks)
    authors = {row["comment"]: row["author"] for row in json.loads(data)["rows"]}
    assert authors == {
        "Có tên.": "Trần Thị Hoa",
        "Tên tài khoản.": "Ẩn danh",
        "Tên tự điền.": "Lê Văn Nam",
    }


def test_downloads_are_attachments_with_a_named_file_and_type(
    client, draft, report, django_capture_on_commit_callbacks
):
    expected = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv",
        "json": "application/json",
    }
    for format, content_type in expected.items():
        export = export_of(ask(client, draft, format, capture=django_capture_on_commit_callbacks))
        response = client.get(f"/gop-y/xuat/{export.pk}/tai-ve/")
        assert response["Content-Type"].startswith(content_type)
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f'filename="bao-cao-tong-hop-{draft.slug}.{format}"' in disposition


# The job


def test_progress_json_and_status_page_while_queued_and_when_done(
    client, draft, report, django_capture_on_commit_callbacks
):
    queued = export_of(ask(client, draft, "docx"))  # the task is not run: on_commit never fires
    progress = client.get(f"/gop-y/xuat/{queued.pk}/trang-thai/").json()
    assert progress == {
        "status": "queued",
        "status_label": progress["status_label"],
        "rows_done": 0,
        "rows_total": 0,
        "download_url": None,
    }
    page = client.get(f"/gop-y/xuat/{queued.pk}/").content.decode()
    assert '<meta http-equiv="refresh"' in page
    assert "<progress" in page
    assert f"/gop-y/xuat/{queued.pk}/trang-thai/" in page

    done = export_of(ask(client, draft, "xlsx", capture=django_capture_on_commit_callbacks))
    progress = client.get(f"/gop-y/xuat/{done.pk}/trang-thai/").json()
    assert progress["status"] == "done"
    assert progress["rows_done"] == progress["rows_total"] == 5
    assert progress["download_url"] == f"/gop-y/xuat/{done.pk}/tai-ve/"
    page = client.get(f"/gop-y/xuat/{done.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert f'href="/gop-y/xuat/{done.pk}/tai-ve/"' in page


def test_an_unchanged_report_reuses_its_export_and_a_change_builds_a_new_one(
    client, draft, report, drafter, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    first = export_of(ask(client, draft, "docx", capture=capture))
    assert export_of(ask(client, draft, "docx", capture=capture)).pk == first.pk
    assert export_of(ask(client, draft, "xlsx", capture=capture)).pk != first.pk

    # An answer published changes the public report.
    response = Response.objects.get(feedback=report["clause"])
    responses.response_publish(user=drafter, responses=[response])
    second = export_of(ask(client, draft, "docx", capture=capture))
    assert second.pk != first.pk
    _document, rows = docx_rows(download(client, second))
    assert UNPUBLISHED_REASON in rows[3][4]

    make_feedback(draft, text="Một ý kiến mới về đất đai.")
    third = export_of(ask(client, draft, "docx", capture=capture))
    assert third.pk not in (first.pk, second.pk)
    assert export_of(ask(client, draft, "docx", capture=capture)).pk == third.pk


def test_an_export_being_built_is_shared_and_a_draft_has_few_at_once(client, draft, report):
    queued = export_of(ask(client, draft, "docx"))
    assert export_of(ask(client, draft, "docx")).pk == queued.pk
    export_of(ask(client, draft, "xlsx"))
    export_of(ask(client, draft, "csv"))
    busy = ask(client, draft, "json")
    assert busy.status_code == 429
    assert busy["Retry-After"]
    assert ReportExport.objects.filter(draft=draft).count() == 3


def test_an_export_stuck_past_the_time_limit_is_failed_and_no_longer_blocks(client, draft, report):
    for format in ("docx", "xlsx", "csv"):
        export_of(ask(client, draft, format))
    ReportExport.objects.update(created_at=timezone.now() - timedelta(hours=2))
    fresh = export_of(ask(client, draft, "docx"))
    assert fresh.status == "queued"
    assert ReportExport.objects.filter(status="failed").count() == 3


def test_a_failing_build_is_marked_failed_with_a_message_and_leaves_no_file(
    client, draft, report, monkeypatch, django_capture_on_commit_callbacks
):
    seen = {}

    def broken(out, head, rows):
        seen["path"] = out.name
        out.write(b"half a file")
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports.WRITERS, "docx", broken)
    export = export_of(ask(client, draft, "docx", capture=django_capture_on_commit_callbacks))
    export.refresh_from_db()
    assert export.status == "failed"
    assert "disk full" in export.error
    assert export.finished_at is not None
    assert not export.file
    assert not os.path.exists(seen["path"])
    assert client.get(f"/gop-y/xuat/{export.pk}/tai-ve/").status_code == 404
    assert client.get(f"/gop-y/xuat/{export.pk}/trang-thai/").json()["status"] == "failed"
    page = client.get(f"/gop-y/xuat/{export.pk}/", headers={"cookie": "django_language=en"})
    assert b"data-export-failed" in page.content

    monkeypatch.undo()
    retried = export_of(ask(client, draft, "docx", capture=django_capture_on_commit_callbacks))
    assert retried.pk != export.pk  # a failed export is not reused


def test_only_the_latest_exports_are_kept_with_their_files(
    client, draft, django_capture_on_commit_callbacks
):
    built_exports = []
    for n in range(5):
        make_feedback(draft, text=f"Ý kiến {n}")
        export = export_of(ask(client, draft, "csv", capture=django_capture_on_commit_callbacks))
        export.refresh_from_db()
        built_exports.append(export)
    kept = set(ReportExport.objects.filter(draft=draft).values_list("pk", flat=True))
    assert kept == {export.pk for export in built_exports[-3:]}
    assert not built_exports[0].file.storage.exists(built_exports[0].file.name)
    assert built_exports[-1].file.storage.exists(built_exports[-1].file.name)


# Who may do what


def test_public_exports_are_open_to_anyone(
    client, draft, report, django_capture_on_commit_callbacks
):
    export, _data = built(client, draft, "csv", django_capture_on_commit_callbacks)
    assert export.requested_by is None
    for url in ("", "trang-thai/", "tai-ve/"):
        assert client.get(f"/gop-y/xuat/{export.pk}/{url}").status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_internal_exports_are_refused_to_others(
    client, draft, report, drafter, outsider, who, django_capture_on_commit_callbacks
):
    if who == "outsider":
        client.force_login(outsider)
    assert ask(client, draft, "docx", scope="internal").status_code == 403
    assert not ReportExport.objects.exists()

    staff = factories.UserFactory(username="staff2")
    draft.agency.staff.add(staff)
    other = type(client)()
    other.force_login(staff)
    export = export_of(
        ask(other, draft, "docx", scope="internal", capture=django_capture_on_commit_callbacks)
    )
    for url in ("", "trang-thai/", "tai-ve/"):
        assert client.get(f"/gop-y/xuat/{export.pk}/{url}").status_code == 403


@pytest.mark.parametrize("who", ["drafter", "superuser"])
def test_internal_exports_are_for_the_agency_and_administrators(
    client, draft, report, drafter, superuser, who, django_capture_on_commit_callbacks
):
    client.force_login(drafter if who == "drafter" else superuser)
    export = export_of(
        ask(client, draft, "json", scope="internal", capture=django_capture_on_commit_callbacks)
    )
    assert export.scope == "internal"
    for url in ("", "trang-thai/"):
        assert client.get(f"/gop-y/xuat/{export.pk}/{url}").status_code == 200
    response = client.get(f"/gop-y/xuat/{export.pk}/tai-ve/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="bao-cao-tong-hop-' in response["Content-Disposition"]
    rows = json.loads(b"".join(response.streaming_content))["rows"]
    assert rows[2]["answer"]["reason"] == UNPUBLISHED_REASON
    assert rows[2]["answer"]["published"] is False


def test_a_consultation_not_yet_open_has_no_public_export(client, home, agency):
    now = timezone.now()
    upcoming = factories.draft_page(
        parent=home,
        agency=agency,
        opens_at=now + timedelta(days=3),
        closes_at=now + timedelta(days=40),
    )
    assert ask(client, upcoming, "docx").status_code == 403
    assert not ReportExport.objects.exists()


def test_bad_requests(client, draft, report):
    assert client.post(request_url(draft, "pdf")).status_code == 404
    assert client.get(request_url(draft, "docx")).status_code == 405
    assert client.post(request_url(draft, "docx"), {"scope": "everything"}).status_code == 400
    assert client.post(f"/gop-y/bao-cao/{draft.pk + 999}/xuat/docx/").status_code == 404
    assert client.get("/gop-y/xuat/999999/").status_code == 404


def test_the_export_buttons_post_to_the_export_urls(rf, draft, drafter):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = drafter
    public = render_to_string("reports/includes/report_exports.html", {"draft": draft}, request)
    for format in ("docx", "xlsx", "csv", "json"):
        assert f'action="/gop-y/bao-cao/{draft.pk}/xuat/{format}/"' in public
    assert 'name="scope"' not in public
    internal = render_to_string("reports/admin/inbox_exports.html", {"draft": draft}, request)
    assert internal.count('<input type="hidden" name="scope" value="internal">') == 4
    assert internal.count("csrfmiddlewaretoken") == 4
