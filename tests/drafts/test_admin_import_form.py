"""The import screen's dates and its upload across a form error (issue 11): dates typed as the
site shows them (01/12/2026 08:00) or as the picker writes them, the picker's script on the page,
and a chosen file kept for the next submit, for its owner only."""

import re
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from drafts.forms import DraftImportForm
from drafts.models import Agency, DraftPage
from tests import factories
from tests.conftest import CORPUS_DIR

pytestmark = pytest.mark.django_db

URL = "/admin/drafts/import/"
CORPUS_FILE = "luat-dien-anh-2022.txt"
HELD = re.compile(r'name="held_file" value="([^"]+)"')


def form_data(agency, **extra):
    data = {
        "title": "Dự thảo Luật Thử nghiệm",
        "agency": agency.pk,
        "document_type": "luat",
        "number": "",
        "opens_at": "01/12/2026 08:00",
        "closes_at": "31/01/2027 17:00",
    }
    data.update(extra)
    return data


def upload():
    return SimpleUploadedFile(CORPUS_FILE, (CORPUS_DIR / CORPUS_FILE).read_bytes())


@pytest.mark.parametrize(
    "typed",
    ["01/12/2026 08:00", "01/12/2026 08:00:00", "2026-12-01 08:00", "2026-12-01T08:00"],
)
def test_dates_are_read_as_shown_and_as_the_picker_writes_them(superuser, agency, typed):
    form = DraftImportForm(
        {**form_data(agency, opens_at=typed, closes_at=""), "text": "Điều 1. Một\nNội dung."},
        agencies=Agency.objects.all(),
        user=superuser,
    )
    assert form.is_valid(), form.errors
    opens = timezone.localtime(form.cleaned_data["opens_at"])
    assert (opens.year, opens.month, opens.day, opens.hour, opens.minute) == (2026, 12, 1, 8, 0)
    assert str(opens.tzinfo) == "Asia/Ho_Chi_Minh"


def test_the_picker_shows_and_writes_the_sites_format(client, superuser, home, agency):
    client.force_login(superuser)
    html = client.get(URL).content.decode()
    # Wagtail's picker script is loaded before the widgets' inline calls to it.
    script = html.index("wagtailadmin/js/date-time-chooser.js")
    assert script < html.index('initDateTimeChooser("id_opens_at"')
    assert '"format": "d/m/Y H:i"' in html
    assert re.search(r'<script nonce="[^"]+">initDateTimeChooser\("id_opens_at"', html)


def test_a_form_error_keeps_the_file_for_the_next_submit(client, superuser, home, agency):
    client.force_login(superuser)
    first = client.post(URL, {**form_data(agency, title=""), "file": upload()})
    assert first.status_code == 200
    assert not DraftPage.objects.filter(title="Dự thảo Luật Thử nghiệm").exists()
    html = first.content.decode()
    assert CORPUS_FILE in html  # the form says which file it kept
    assert 'value="01/12/2026 08:00"' in html  # and the dates as typed
    token = HELD.search(html).group(1)

    # The title filled in, the file not chosen again: the kept one is imported.
    second = client.post(URL, {**form_data(agency), "held_file": token})
    assert second.status_code == 302
    page = DraftPage.objects.get(title="Dự thảo Luật Thử nghiệm")
    draft = page.get_latest_revision_as_object()
    assert sum(1 for block in draft.body.raw_data if block["type"] == "article") == 50
    assert timezone.localtime(page.opens_at).replace(tzinfo=None) == datetime(2026, 12, 1, 8, 0)
    assert timezone.localtime(page.closes_at).replace(tzinfo=None) == datetime(2027, 1, 31, 17)

    # Once imported, the kept file is gone: the token imports nothing again.
    again = client.post(URL, {**form_data(agency, title="Lần hai"), "held_file": token})
    assert again.status_code == 200
    assert not DraftPage.objects.filter(title="Lần hai").exists()


def test_a_date_error_keeps_the_file_too(client, superuser, home, agency):
    client.force_login(superuser)
    first = client.post(URL, {**form_data(agency, opens_at="hôm qua"), "file": upload()})
    assert first.status_code == 200
    token = HELD.search(first.content.decode()).group(1)
    second = client.post(URL, {**form_data(agency), "held_file": token})
    assert second.status_code == 302


def test_an_empty_file_is_refused_and_not_kept(client, superuser, home, agency):
    """A 0-byte upload gets its error and is not offered as "kept" (issue 12 review)."""
    client.force_login(superuser)
    empty = SimpleUploadedFile("rong.docx", b"")
    response = client.post(URL, {**form_data(agency), "file": empty})
    assert response.status_code == 200
    html = response.content.decode()
    assert "rong.docx" not in html
    assert not HELD.search(html)
    assert not DraftPage.objects.filter(title="Dự thảo Luật Thử nghiệm").exists()


def test_a_kept_file_is_for_its_owner_only(client, superuser, home, agency):
    client.force_login(superuser)
    first = client.post(URL, {**form_data(agency, title=""), "file": upload()})
    token = HELD.search(first.content.decode()).group(1)

    other = factories.UserFactory(username="admin2", is_superuser=True, is_staff=True)
    client.force_login(other)
    response = client.post(URL, {**form_data(agency), "held_file": token})
    assert response.status_code == 200
    assert CORPUS_FILE not in response.content.decode()
    assert not DraftPage.objects.exists()

    # Nor does an altered token name anything.
    client.force_login(superuser)
    forged = client.post(URL, {**form_data(agency), "held_file": token[:-2] + "xx"})
    assert forged.status_code == 200
    assert not DraftPage.objects.exists()
    # The owner's own token still works.
    assert client.post(URL, {**form_data(agency), "held_file": token}).status_code == 302


def test_forgetting_the_kept_file_lets_text_be_pasted(client, superuser, home, agency):
    client.force_login(superuser)
    first = client.post(URL, {**form_data(agency, title=""), "file": upload()})
    token = HELD.search(first.content.decode()).group(1)
    text = "Điều 1. Phạm vi\nNội dung.\n"
    both = client.post(URL, {**form_data(agency), "held_file": token, "text": text})
    assert both.status_code == 200  # a file and a text: which one is meant?
    forgot = client.post(
        URL, {**form_data(agency), "held_file": token, "forget_held_file": "on", "text": text}
    )
    assert forgot.status_code == 302
