"""One Vietnamese style of dates everywhere (issue 12): 02/12/2026 and 14:30, the 24-hour
clock, on the public pages and in the admin, in both languages; Wagtail's date pickers write
and read the same."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from drafts.services import editor_group_ensure
from tests import factories

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Dates in other styles: 02-12-2026, 2026-12-02 in text, "tháng 12 năm", "Dec. 2, 2026", 2:30 p.m.
OTHER_STYLES = re.compile(
    r"\b\d{1,2}-\d{1,2}-\d{4}\b|tháng \d+ năm|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"[a-z]*\.? \d{1,2}, \d{4}|\d (?:a\.m\.|p\.m\.)"
)


def visible(page: str) -> str:
    """The page without the machine-readable dates of attributes (datetime="…", values)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]*>", " ", page)


@pytest.fixture
def comment(draft):
    citizen = factories.UserFactory(username="nguoidan")
    feedback = factories.make_feedback(draft, user=citizen, text="Góp ý về ngày tháng.")
    feedback.submit_date = datetime(2026, 11, 3, 14, 5, tzinfo=HANOI)
    feedback.save(update_fields=["submit_date"])
    return feedback


@pytest.fixture
def editor(home, agency):
    person = factories.UserFactory(username="bientap.a")
    person.groups.add(editor_group_ensure(home=home, name="Biên tập viên"))
    agency.staff.add(person)
    return person


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_admin_listings_and_public_pages_write_dates_alike(
    client, draft, comment, editor, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    public = client.get(f"{draft.url}gop-y/")
    assert public.status_code == 200
    client.force_login(editor)
    screens = {
        "public conversation": public.content.decode(),
        "answers inbox": client.get(f"/admin/consult/answers/{draft.pk}/").content.decode(),
        "moderation queue": client.get("/admin/consult/moderation/").content.decode(),
    }
    for name, page in screens.items():
        assert "14:05 03/11/2026" in visible(page), name
        assert not OTHER_STYLES.search(visible(page)), (name, OTHER_STYLES.search(visible(page)))


@pytest.mark.django_db
def test_page_explorer_and_editor_write_dates_in_the_same_style(client, draft, editor):
    draft.opens_at = datetime(2026, 12, 1, 8, 0, tzinfo=HANOI)
    draft.save_revision().publish()
    client.force_login(editor)
    explorer = client.get(f"/admin/pages/{draft.get_parent().pk}/").content.decode()
    tooltips = re.findall(r'data-w-tooltip-content-value="([^"]*\d{4}[^"]*)"', explorer)
    assert tooltips and all(re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", t) for t in tooltips), (
        tooltips
    )
    editor_page = client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert re.search(r'name="opens_at" value="01/12/2026 08:00"', editor_page)
    assert '"format": "d/m/Y H:i"' in editor_page.replace("&quot;", '"')


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_typed_date_is_read_day_first(language):
    from django import forms
    from django.utils import translation

    with translation.override(language):
        assert forms.DateField().clean("01/12/2026").month == 12
        moment = forms.DateTimeField().clean(settings_value := "01/12/2026 08:30")
        assert (moment.day, moment.month, moment.hour, moment.minute) == (1, 12, 8, 30), (
            settings_value
        )
        assert forms.DateTimeField().clean("2026-12-01 08:30").month == 12
