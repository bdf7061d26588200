"""Writers of the synthesis report: DOCX, XLSX, CSV and JSON, each streamed to a binary file.

Each writer takes the report's heading and an iterable of rows (`consult.reports.rows`), reads
the rows once and keeps none of them, so memory stays flat however many comments there are.

DOCX is the form agencies file ("Bản tổng hợp, giải trình, tiếp thu ý kiến"): A4 landscape —
five columns of legal text do not fit a portrait page's 16 cm — Times New Roman, 13 pt body and
12 pt table, the header row repeated on every page, the "Nội dung dự thảo" cell merged down over
the comments on the same provision. python-docx builds the skeleton (styles, page, title, the
table with its header row); the body rows are then streamed as WordprocessingML into
word/document.xml while the package is copied into a new zip, because python-docx keeps the
whole tree in memory and takes minutes over 100,000 rows.

The report is a Vietnamese legal form, so its own wording (column headers, title, the few
labels) is Vietnamese and not translated; choice labels (stance, decision…) come in the
language active while it is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import BinaryIO
from xml.sax.saxutils import escape

from django.utils import timezone

from consult.reports.rows import INTERNAL, ReportAnswer, ReportHead, ReportProvision, ReportRow

FONT = "Times New Roman"
TITLE = "BẢN TỔNG HỢP, GIẢI TRÌNH, TIẾP THU Ý KIẾN"
WHOLE_DRAFT = "Toàn bộ dự thảo"
PROPOSED = "Đề xuất sửa thành:"
UNPUBLISHED = "(chưa công bố)"
ACCEPTED_AT = "Đã tiếp thu tại:"
OFFICIAL = "Ý kiến chính thức của {agency} (văn bản góp ý theo Điều 30 Luật số 64/2025/QH15)"
DOCX_HEADERS = (
    "TT",
    "Nội dung dự thảo",
    "Nội dung góp ý",
    "Đơn vị / người góp ý",
    "Ý kiến giải trình, tiếp thu",
)
# XLSX and CSV: the DOCX columns, then each part on its own for sorting and filtering.
TABLE_HEADERS = (
    *DOCX_HEADERS,
    "Điều khoản",
    "Quan điểm",
    "Đề xuất sửa đổi",
    "Đối tượng góp ý",
    "Tỉnh, thành phố",
    "Ngày góp ý",
    "Kết quả tiếp thu",
    "Lý do, giải trình",
    "Tiếp thu tại (dự thảo sau)",
    "Trả lời đã công bố",
    "Lượt tán thành",
    "Mã góp ý",
    "Xác thực danh tính (mức)",
    "Ý kiến chính thức của cơ quan",
)
TABLE_WIDTHS = (6, 45, 60, 28, 50, 18, 14, 40, 16, 20, 16, 18, 50, 30, 10, 10, 10, 12, 30)
DATE_FORMAT = "%d/%m/%Y %H:%M"

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}

# Characters XML 1.0 (and so Word and Excel) cannot hold; a pasted comment may bring them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


def _date(moment: datetime | None) -> str:
    return _local(moment).strftime(DATE_FORMAT) if moment else ""


# The combined cells, as plain text (XLSX, CSV)


def provision_text(provision: ReportProvision | None) -> str:
    if provision is None:
        return WHOLE_DRAFT
    return f"{provision.heading}\n{provision.text}".strip()


def comment_text(row: ReportRow) -> str:
    parts = [row.comment.strip()]
    if row.proposed_wording.strip():
        parts.append(f"{PROPOSED}\n{row.proposed_wording.strip()}")
    return "\n".join(parts)


def official_text(row: ReportRow) -> str:
    """What marks a part of an agency's official opinion asked in writing; '' otherwise."""
    return OFFICIAL.format(agency=row.official_of) if row.official_of else ""


def author_text(row: ReportRow) -> str:
    about = ", ".join(part for part in (row.respondent_type_label, row.province_label) if part)
    lines = [row.author, about, official_text(row)]
    return "\n".join(line for line in lines if line)


def resulting_text(answer: ReportAnswer | None, separator: str = "; ") -> str:
    """ "Khoản 2 Điều 6, Dự thảo 2; Điều 7, Dự thảo 2", or "" without a trace."""
    if answer is None:
        return ""
    return separator.join(provision.label for provision in answer.resulting)


def answer_text(answer: ReportAnswer | None) -> str:
    if answer is None:
        return ""
    head = answer.decision_label if answer.published else f"{answer.decision_label} {UNPUBLISHED}"
    text = f"{head}\n{answer.reason.strip()}".strip()
    if answer.resulting:
        text = f"{text}\n{ACCEPTED_AT} {resulting_text(answer)}"
    return text


def _published(answer: ReportAnswer | None) -> str:
    if answer is None:
        return ""
    return "Có" if answer.published else "Chưa"


# DOCX

A4_LANDSCAPE_MM = (297, 210)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
DOCX_WIDTHS_MM = (12, 62, 72, 46, 60)  # the 252 mm between the margins
ROW_COUNT_MARK = "@@REPORT_ROW_COUNT@@"
ROWS_PER_WRITE = 200


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _set_fonts(rpr) -> None:
    """Times New Roman for every script (Vietnamese is Latin, but Word picks the East Asian
    or complex-script font for some characters), without theme fonts that would win."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _style_font(style, size_pt: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr)
    style.font.size = Pt(size_pt)
    complex_size = rpr.find(qn("w:szCs"))
    if complex_size is None:
        complex_size = rpr.makeelement(qn("w:szCs"), {})
        rpr.sz.addnext(complex_size)
    complex_size.set(qn("w:val"), str(int(size_pt * 2)))


def _docx_skeleton(head: ReportHead) -> tuple[bytes, str]:
    """The document without its body rows, as a package, and the id of the cell style."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = styles["Normal"]
    _style_font(normal, 13)
    normal.paragraph_format.space_after = Pt(6)
    cell_style = styles.add_style("Report Cell", WD_STYLE_TYPE.PARAGRAPH)
    cell_style.base_style = normal
    _style_font(cell_style, 12)
    cell_style.paragraph_format.space_before = Pt(0)
    cell_style.paragraph_format.space_after = Pt(2)
    table_style = styles["Table Grid"]
    _style_font(table_style, 12)

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = (Mm(mm) for mm in A4_LANDSCAPE_MM)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))

    core = document.core_properties
    core.title = f"{TITLE.capitalize()} — {head.title}"
    core.author = head.agency
    core.created = core.modified = head.generated_at

    def centred(text: str = "", *, bold=False, italic=False, size: float | None = None):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(3)
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
        return paragraph

    centred(TITLE, bold=True, size=14)
    named = " ".join(part for part in (head.document_type_label, head.number) if part)
    centred(f"{head.title} ({named})" if named else head.title, bold=True)
    centred(f"Cơ quan chủ trì soạn thảo: {head.agency}")
    centred(
        f"Dự thảo {head.version_number} — lấy ý kiến từ {_local(head.opens_at):%d/%m/%Y} "
        f"đến {_local(head.closes_at):%d/%m/%Y}",
        italic=True,
    )
    if head.scope == INTERNAL:
        centred("Bản nội bộ: gồm cả ý kiến giải trình chưa công bố", italic=True)

    table = document.add_table(rows=1, cols=len(DOCX_HEADERS))
    table.style = table_style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(_twips(mm) for mm in DOCX_WIDTHS_MM)))
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
    for column, cell, text, mm in zip(
        table.columns, header.cells, DOCX_HEADERS, DOCX_WIDTHS_MM, strict=True
    ):
        column.width = cell.width = Mm(mm)
        paragraph = cell.paragraphs[0]
        paragraph.style = cell_style
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True

    total = document.add_paragraph()
    total.paragraph_format.space_before = Pt(6)
    total.add_run(f"Tổng số: {ROW_COUNT_MARK} ý kiến.").italic = True
    centred(f"Xuất ngày {_local(head.generated_at):%d/%m/%Y %H:%M}", italic=True, size=11)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), cell_style.style_id


class _DocxRows:
    """Body rows of the table as WordprocessingML text."""

    def __init__(self, style_id: str):
        self.paragraph = f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{{jc}}</w:pPr>{{runs}}</w:p>'
        self.cell_open = [
            f'<w:tc><w:tcPr><w:tcW w:w="{_twips(mm)}" w:type="dxa"/>{{merge}}</w:tcPr>'
            for mm in DOCX_WIDTHS_MM
        ]
        self.previous_provision: object = object()

    @staticmethod
    def runs(text: str, *, bold=False, italic=False) -> str:
        props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
        props = f"<w:rPr>{props}</w:rPr>" if props else ""
        return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""

    def paragraphs(self, text: str, *, bold=False, italic=False, centre=False) -> str:
        jc = '<w:jc w:val="center"/>' if centre else ""
        return "".join(
            self.paragraph.format(jc=jc, runs=self.runs(line, bold=bold, italic=italic))
            for line in clean(text).split("\n")
        )

    def cell(self, index: int, content: str, merge: str = "") -> str:
        return f"{self.cell_open[index].format(merge=merge)}{content}</w:tc>"

    def row(self, row: ReportRow) -> str:
        provision_id = row.provision_id
        if provision_id == self.previous_provision:
            provision = self.cell(1, self.paragraphs(""), "<w:vMerge/>")
        else:
            self.previous_provision = provision_id
            if row.provision is None:
                content = self.paragraphs(WHOLE_DRAFT, bold=True)
            else:
                content = self.paragraphs(row.provision.heading, bold=True)
                if row.provision.text:
                    content += self.paragraphs(row.provision.text)
            provision = self.cell(1, content, '<w:vMerge w:val="restart"/>')

        comment = ""
        if row.stance_label:
            comment += self.paragraphs(f"[{row.stance_label}]", italic=True)
        comment += self.paragraphs(row.comment.strip())
        if row.proposed_wording.strip():
            comment += self.paragraphs(PROPOSED, bold=True, italic=True)
            comment += self.paragraphs(row.proposed_wording.strip())

        about = ", ".join(part for part in (row.respondent_type_label, row.province_label) if part)
        author = self.paragraphs(row.author, bold=True)
        if about:
            author += self.paragraphs(about, italic=True)
        if row.official_of:
            author += self.paragraphs(official_text(row), italic=True)

        answer = row.answer
        if answer is None:
            reply = self.paragraphs("")
        else:
            reply = self.paragraphs(answer.decision_label, bold=True)
            if not answer.published:
                reply += self.paragraphs(UNPUBLISHED, italic=True)
            if answer.reason.strip():
                reply += self.paragraphs(answer.reason.strip())
            if answer.resulting:
                reply += self.paragraphs(f"{ACCEPTED_AT} {resulting_text(answer)}", italic=True)

        return (
            "<w:tr>"
            + self.cell(0, self.paragraphs(str(row.number), centre=True))
            + provision
            + self.cell(2, comment)
            + self.cell(3, author)
            + self.cell(4, reply)
            + "</w:tr>"
        )


def write_docx(out: BinaryIO, head: ReportHead, rows: Iterable[ReportRow]) -> int:
    skeleton, style_id = _docx_skeleton(head)
    render = _DocxRows(style_id)
    count = 0
    with (
        zipfile.ZipFile(io.BytesIO(skeleton)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "word/document.xml":
                package.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            xml = data.decode("utf-8")
            split = xml.rindex("</w:tbl>")
            info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with package.open(info, "w") as document:
                document.write(xml[:split].encode("utf-8"))
                batch = []
                for row in rows:
                    batch.append(render.row(row))
                    count += 1
                    if len(batch) >= ROWS_PER_WRITE:
                        document.write("".join(batch).encode("utf-8"))
                        batch.clear()
                document.write("".join(batch).encode("utf-8"))
                tail = xml[split:].replace(ROW_COUNT_MARK, f"{count:,}".replace(",", "."))
                document.write(tail.encode("utf-8"))
    return count


# XLSX, CSV


def table_values(row: ReportRow) -> list:
    answer = row.answer
    return [
        row.number,
        provision_text(row.provision),
        comment_text(row),
        author_text(row),
        answer_text(answer),
        row.provision.citation if row.provision else WHOLE_DRAFT,
        row.stance_label,
        row.proposed_wording,
        row.respondent_type_label,
        row.province_label,
        _local(row.submitted_at),
        answer.decision_label if answer else "",
        answer.reason if answer else "",
        resulting_text(answer),
        _published(answer),
        row.endorsements,
        row.feedback_id,
        row.verified_level or "",
        row.official_of,
    ]


WRAPPED_COLUMNS = frozenset({1, 2, 3, 4, 7, 12, 13})
DATE_COLUMN = 10


def write_xlsx(out: BinaryIO, head: ReportHead, rows: Iterable[ReportRow]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tổng hợp ý kiến")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(TABLE_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last_column = get_column_letter(len(TABLE_HEADERS))
    sheet.auto_filter.ref = f"A1:{last_column}1"

    bold = Font(name=FONT, bold=True)
    font = Font(name=FONT)
    top = Alignment(vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for text in TABLE_HEADERS:
        cell = WriteOnlyCell(sheet, text)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        header.append(cell)
    sheet.append(header)

    # One styled cell per column, whose style is copied onto each value: openpyxl then skips
    # looking the style up again for every one of the rows' cells.
    prototypes = []
    for index in range(len(TABLE_HEADERS)):
        cell = WriteOnlyCell(sheet)
        cell.font = font
        cell.alignment = wrap if index in WRAPPED_COLUMNS else top
        if index == DATE_COLUMN:
            cell.number_format = "dd/mm/yyyy hh:mm"
        prototypes.append(cell._style)

    count = 0
    for row in rows:
        cells = []
        for index, value in enumerate(table_values(row)):
            if isinstance(value, str):
                value = clean(value)
            elif isinstance(value, datetime):
                value = value.replace(tzinfo=None)  # Excel has no time zones; this is Vietnam time
            cell = WriteOnlyCell(sheet, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell._style = prototypes[index]
            cells.append(cell)
        sheet.append(cells)
        count += 1

    about = workbook.create_sheet("Thông tin")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    for label, value in _about(head, count):
        about.append([label, value])
    workbook.save(out)
    return count


def _about(head: ReportHead, count: int) -> list[tuple[str, str]]:
    return [
        ("Văn bản", TITLE),
        ("Dự thảo", head.title),
        ("Loại văn bản", head.document_type_label),
        ("Số, ký hiệu", head.number),
        ("Cơ quan chủ trì soạn thảo", head.agency),
        ("Dự thảo số", str(head.version_number)),
        ("Lấy ý kiến", f"{_date(head.opens_at)} – {_date(head.closes_at)}"),
        ("Phạm vi", "Nội bộ (gồm trả lời chưa công bố)" if head.scope == INTERNAL else "Công khai"),
        ("Số ý kiến", str(count)),
        ("Xuất ngày", _date(head.generated_at)),
        ("Địa chỉ", head.url),
    ]


# Spreadsheet programs run a cell that starts like a formula; user text must not.
_FORMULA_START = ("=", "+", "-", "@", "\t")


def _csv_safe(value) -> str:
    if isinstance(value, datetime):
        return value.strftime(DATE_FORMAT)
    if not isinstance(value, str):
        return value
    value = clean(value)
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def write_csv(out: BinaryIO, head: ReportHead, rows: Iterable[ReportRow]) -> int:
    """UTF-8 with a byte order mark, which Excel needs to read Vietnamese."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(TABLE_HEADERS)
    count = 0
    for row in rows:
        writer.writerow([_csv_safe(value) for value in table_values(row)])
        count += 1
    text.flush()
    text.detach()
    return count


# JSON


def _iso(moment: datetime | None) -> str | None:
    return _local(moment).isoformat() if moment else None


def json_row(row: ReportRow) -> dict:
    provision = row.provision
    answer = row.answer
    return {
        "number": row.number,
        "feedback_id": row.feedback_id,
        "provision": provision
        and {
            "id": provision.id,
            "kind": provision.kind,
            "citation": provision.citation,
            "title": provision.title,
            "text": provision.text,
            "draft_version": provision.version_number,
        },
        "comment": row.comment,
        "proposed_wording": row.proposed_wording,
        "stance": row.stance,
        "stance_label": row.stance_label,
        "author": row.author,
        "respondent_type": row.respondent_type,
        "respondent_type_label": row.respondent_type_label,
        "province": row.province,
        "province_label": row.province_label,
        "submitted_at": _iso(row.submitted_at),
        "endorsements": row.endorsements,
        "identity_verified_level": row.verified_level,
        "official_opinion_of": row.official_of or None,
        "answer": answer
        and {
            "response_id": answer.response_id,
            "decision": answer.decision,
            "decision_label": answer.decision_label,
            "reason": answer.reason,
            "published": answer.published,
            "published_at": _iso(answer.published_at),
            "revised_at": _iso(answer.revised_at),
            "resulting_provisions": [
                {
                    "id": provision.id,
                    "citation": provision.citation,
                    "draft_version": provision.version_number,
                    "label": provision.label,
                }
                for provision in answer.resulting
            ],
        },
    }


def write_json(out: BinaryIO, head: ReportHead, rows: Iterable[ReportRow]) -> int:
    """{"draft": …, "scope": …, "generated_at": …, "rows": [...]}, written row by row."""
    draft = {
        "id": head.draft_id,
        "title": head.title,
        "document_type": head.document_type,
        "document_type_label": head.document_type_label,
        "number": head.number,
        "agency": head.agency,
        "version": head.version_number,
        "opens_at": _iso(head.opens_at),
        "closes_at": _iso(head.closes_at),
        "url": head.url,
    }
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    text = io.TextIOWrapper(out, encoding="utf-8")
    text.write(f'{{"draft": {dumps(draft)}, "scope": {dumps(head.scope)}, ')
    text.write(f'"generated_at": {dumps(_iso(head.generated_at))}, "rows": [')
    count = 0
    for row in rows:
        text.write(",\n" if count else "\n")
        text.write(dumps(json_row(row)))
        count += 1
    text.write("\n]}\n")
    text.flush()
    text.detach()
    return count


WRITERS: dict[str, Callable[[BinaryIO, ReportHead, Iterable[ReportRow]], int]] = {
    "docx": write_docx,
    "xlsx": write_xlsx,
    "csv": write_csv,
    "json": write_json,
}
