"""The synthesis report's exports mark the parts of an agency's official opinion (asked in
writing, Law 64/2025 Art. 30) and name the agency, as the report page does; a comment whose
author only declared themselves a state agency carries no such mark (a review found the
DOCX and XLSX showing both alike)."""

import csv
import io
import json

import pytest

from consult.feedback.models import Feedback
from tests import factories
from tests.consult.opinions.test_opinions import ARTICLE_ROW, submit
from tests.consult.reports.test_report_exports import built, docx_rows

pytestmark = pytest.mark.django_db

MARK = "Ý kiến chính thức của Bộ Tư pháp"


@pytest.fixture
def parts(client, invitation, clerk, draft):
    client.force_login(clerk)
    submit(client, invitation, rows=[ARTICLE_ROW])
    self_declared = factories.make_feedback(
        draft, respondent_type="agency", organisation="Bộ Tư pháp", text="Tự khai."
    )
    official = list(Feedback.objects.filter(opinion_item__isnull=False).order_by("pk"))
    assert len(official) == 2
    return official, self_declared


def test_csv_and_json_name_the_agency_of_each_official_part(
    client, parts, drafter, draft, django_capture_on_commit_callbacks
):
    official, self_declared = parts
    client.force_login(drafter)
    _export, data = built(
        client, draft, "csv", django_capture_on_commit_callbacks, scope="internal"
    )
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_id = {row["Mã góp ý"]: row for row in rows}
    for part in official:
        assert by_id[str(part.pk)]["Ý kiến chính thức của cơ quan"] == "Bộ Tư pháp"
        assert MARK in by_id[str(part.pk)]["Đơn vị / người góp ý"]
    assert by_id[str(self_declared.pk)]["Ý kiến chính thức của cơ quan"] == ""
    assert MARK not in by_id[str(self_declared.pk)]["Đơn vị / người góp ý"]

    _export, data = built(
        client, draft, "json", django_capture_on_commit_callbacks, scope="internal"
    )
    marks = {row["feedback_id"]: row["official_opinion_of"] for row in json.loads(data)["rows"]}
    assert {marks[part.pk] for part in official} == {"Bộ Tư pháp"}
    assert marks[self_declared.pk] is None


def test_the_filed_docx_marks_the_official_parts(
    client, parts, drafter, draft, django_capture_on_commit_callbacks
):
    official, _self_declared = parts
    client.force_login(drafter)
    _export, data = built(
        client, draft, "docx", django_capture_on_commit_callbacks, scope="internal"
    )
    _document, rows = docx_rows(data)
    authors = [row[3] for row in rows[1:]]
    assert sum(MARK in author for author in authors) == len(official)
