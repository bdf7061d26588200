"""The agency ranking table on a wide screen and on a phone (issue 12, item 4): at 1280 px
every column fits; at 360 px the table either fits or scrolls inside a labelled region that
says so in words and with a shadow at the edge where more columns wait."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDE = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

HINT = "Vuốt ngang để xem thêm cột"


@pytest.fixture
def agencies(consultation):
    """Three agencies with long names and figures, as a real ranking has."""
    from consult.accountability.selectors import draft_figures_refresh
    from drafts.models import DraftPage
    from tests import factories
    from tests.factories import make_feedback

    home = factories.home_page()
    for name, code in [
        ("Bộ Lao động - Thương binh và Xã hội", "LĐTBXH"),
        ("Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL"),
    ]:
        agency = factories.AgencyFactory(name=name, code=code)
        factories.draft_page(parent=home, agency=agency, title=f"Dự thảo của {code}")
    for draft in DraftPage.objects.all():
        make_feedback(draft, text="Góp ý")
        draft_figures_refresh(draft_id=draft.pk)


def _clipped_headers(page) -> list[str]:
    """The column headings whose right edge lies beyond the table's container or the
    viewport (what a reader cannot see without scrolling)."""
    return page.evaluate(
        """() => {
            const table = document.querySelector(".ranking-table");
            const box = table.parentElement.getBoundingClientRect();
            const right = Math.min(box.right, document.documentElement.clientWidth);
            return [...table.querySelectorAll("thead th")]
                .filter(th => th.getBoundingClientRect().right > right + 0.5)
                .map(th => th.textContent.trim());
        }"""
    )


def test_every_column_of_the_ranking_fits_at_1280(agencies, new_page, live_server, screenshot_path):
    page = new_page(**WIDE)
    page.goto(f"{live_server.url}/co-quan/")
    expect(page.locator(".ranking-table tbody tr")).to_have_count(3)

    assert _clipped_headers(page) == []
    assert page.evaluate(
        "() => { const r = document.querySelector('.ranking-scroll');"
        " return r.scrollWidth <= r.clientWidth; }"
    ), "the table scrolls at 1280 px"
    expect(page.get_by_role("columnheader", name="Hài lòng")).to_be_in_viewport()
    page.screenshot(path=screenshot_path("accountability-ranking-1280"), full_page=True)


def test_on_a_phone_the_ranking_scrolls_in_a_region_that_says_so(
    agencies, new_page, live_server, screenshot_path
):
    page = new_page(**PHONE)
    page.goto(f"{live_server.url}/co-quan/")
    expect(page.locator(".ranking-table tbody tr")).to_have_count(3)

    if not _clipped_headers(page):
        return  # everything fits: nothing is hidden
    region = page.get_by_role("region", name="Tất cả cơ quan")
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "hidden columns, no scrolling"
    hint = page.get_by_text(HINT)
    expect(hint).to_be_visible()
    assert region.evaluate("r => getComputedStyle(r).backgroundImage") != "none", (
        "no shadow cue at the edge"
    )
    page.screenshot(path=screenshot_path("accountability-ranking-360"), full_page=True)

    # the keyboard reaches the region and scrolls it to the last column
    region.focus()
    expect(region).to_be_focused()
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("columnheader", name="Hài lòng")).to_be_in_viewport()
