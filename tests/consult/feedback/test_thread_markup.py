"""The conversation page's form markup for assistive technology (issue 12, accessibility):
ids unique on the page, every aria-describedby names an element that exists, the stance
radios grouped in a fieldset with a legend."""

import re

import pytest

from drafts.models import Provision
from tests import factories

pytestmark = pytest.mark.django_db

CLAUSE = "dieu-2-khoan-2"


@pytest.fixture
def page_html(client, draft):
    """The conversation on a clause with three comments, read by a signed-in citizen who
    wrote none of them (so each comment has its report form), with anonymous comments on."""
    draft.allow_anonymous = True
    draft.save_revision().publish()
    provision = Provision.objects.get(version__page=draft, anchor=CLAUSE, withdrawn=False)
    for n in range(3):
        factories.make_feedback(draft, provision=provision, text=f"Góp ý số {n}")
    client.force_login(factories.UserFactory(username="docgia"))
    response = client.get(f"{draft.url}gop-y/{CLAUSE}/")
    assert response.status_code == 200
    return response.content.decode()


def test_ids_on_the_conversation_page_are_unique(page_html):
    ids = re.findall(r'\bid="([^"]+)"', page_html)
    assert len([i for i in ids if i.startswith("flag-")]) >= 3 * 4  # every report form's radios
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_every_aria_describedby_names_an_element_on_the_page(page_html):
    ids = set(re.findall(r'\bid="([^"]+)"', page_html))
    described = re.findall(r'aria-describedby="([^"]+)"', page_html)
    assert described, "the form's fields with help text are described"
    missing = {name for value in described for name in value.split() if name not in ids}
    assert missing == set()


def test_the_stance_radios_are_a_fieldset_with_a_legend(page_html):
    fieldset = page_html.split('name="stance"', 1)[0].rsplit("<fieldset", 1)[1]
    assert "<legend>" in fieldset
    assert "</fieldset>" not in fieldset  # the radios are inside it


@pytest.mark.parametrize(
    ("opens_in_days", "invited"), [(7, False), (-1, True)], ids=["upcoming", "open"]
)
def test_an_empty_conversation_invites_a_first_comment_only_when_one_can_be_made(
    client, home, agency, opens_in_days, invited
):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    page = factories.draft_page(
        parent=home, agency=agency, opens_at=now + timedelta(days=opens_in_days),
        closes_at=now + timedelta(days=60),
    )  # fmt: skip
    html = client.get(f"{page.url}gop-y/{CLAUSE}/").content.decode()
    assert "Chưa có góp ý nào." in html
    assert ("Hãy là người góp ý đầu tiên" in html) is invited
