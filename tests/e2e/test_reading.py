"""A reader in a real browser: finds the consultation, follows a provision's link, reads on a
phone, without JavaScript, in English, and prints one article."""

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [
    pytest.mark.e2e,
    # The flush after each live-server test would drop Wagtail's root page and locale, which
    # come from migrations: serialized rollback puts them back for the next test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def highlight_colour(page) -> str:
    """The computed value of the stylesheet's --highlight colour, as the browser writes it."""
    return page.evaluate(
        """() => {
            const probe = document.createElement("div");
            probe.style.background = "var(--highlight)";
            document.body.append(probe);
            const colour = getComputedStyle(probe).backgroundColor;
            probe.remove();
            return colour;
        }"""
    )


def assert_highlighted(page, anchor: str) -> None:
    provision = page.locator(f"[id='{anchor}']")
    assert provision.evaluate("el => el.matches(':target')"), f"#{anchor} is not the :target"
    colour = highlight_colour(page)
    assert colour not in ("", "transparent", "rgba(0, 0, 0, 0)"), "no --highlight colour"
    expect(provision).to_have_css("background-color", colour)
    expect(provision).to_be_in_viewport()


def test_reader_follows_a_clause_link_and_sees_it_highlighted(
    new_page, live_server, consultation, screenshot_path
):
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")

    card = page.locator("#dang-lay-y-kien .card", has_text=consultation.title)
    expect(card).to_have_count(1)
    expect(card.locator(".status--open")).to_be_visible()
    card.get_by_role("link", name=consultation.title).click()
    page.wait_for_url(consultation.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(consultation.title)

    clause = page.locator("[id='dieu-2-khoan-2']")
    clause.locator(":scope > .provision__text > a.permalink").click()
    page.wait_for_url(f"{consultation.url}#dieu-2-khoan-2")

    expect(clause).to_have_class(re.compile(r"\bis-highlighted\b"))
    expect(page.locator(".is-highlighted")).to_have_count(1)
    assert_highlighted(page, "dieu-2-khoan-2")
    page.screenshot(path=screenshot_path("highlighted-clause"), animations="disabled")

    # Another link moves the highlight rather than adding a second one.
    page.goto(f"{consultation.url}#dieu-5-khoan-1")
    expect(page.locator("[id='dieu-5-khoan-1']")).to_have_class(re.compile(r"\bis-highlighted\b"))
    expect(page.locator(".is-highlighted")).to_have_count(1)
    assert_highlighted(page, "dieu-5-khoan-1")


def test_phone_reader_scrolls_only_vertically(new_page, consultation, screenshot_path):
    page = new_page(**PHONE)
    page.goto(consultation.url)

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"the page is {scroll_width}px wide on a 360px phone"

    toc = page.locator("nav.toc")
    expect(toc).to_be_visible()
    toc_link = toc.get_by_role("link", name=re.compile(r"^Điều 2\b"))
    if not toc_link.is_visible():
        toc.locator("summary").tap()  # folded on a phone to keep the text near the top
    expect(toc_link).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    body = page.locator(".draft-body")
    for region in (toc, body):
        box = region.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
        assert box["width"] >= 300, f"{box['width']}px leaves too narrow a column to read"
    text = page.locator("[id='dieu-2-khoan-2'] > .provision__text")
    expect(text).to_be_visible()
    font_size = float(text.evaluate("el => getComputedStyle(el).fontSize").removesuffix("px"))
    assert font_size >= 14, f"legal text set at {font_size}px on a phone"
    page.screenshot(path=screenshot_path("phone-draft-page"), full_page=True)

    toc_link.tap()
    page.wait_for_url(f"{consultation.url}#dieu-2")
    assert_highlighted(page, "dieu-2")

    page.goto(f"{consultation.url}#dieu-5-khoan-2-diem-a1")
    assert_highlighted(page, "dieu-5-khoan-2-diem-a1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=screenshot_path("phone-highlighted-point"), animations="disabled")


def test_link_lands_on_the_provision_without_javascript(new_page, consultation):
    page = new_page(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    page.goto(f"{consultation.url}#dieu-5-khoan-2-diem-a1")

    assert_highlighted(page, "dieu-5-khoan-2-diem-a1")
    # The script did not run: the highlight is the stylesheet's :target rule alone.
    expect(page.locator(".is-highlighted")).to_have_count(0)


def test_language_switcher_changes_the_interface_and_back(new_page, consultation):
    page = new_page()
    page.goto(consultation.url)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator(".draft-header__agency")).to_contain_text("Cơ quan chủ trì soạn thảo")

    english = page.locator(".lang-switch button[value='en']")
    vietnamese = page.locator(".lang-switch button[value='vi']")
    expect(english).to_have_text("English")
    english.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == consultation.url, "the switcher left the draft"
    expect(english).to_have_attribute("aria-current", "true")
    expect(page.locator(".draft-header__agency")).to_contain_text("Drafting agency")
    expect(page.locator("nav.toc summary")).to_contain_text("Contents")

    vietnamese.click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(vietnamese).to_have_attribute("aria-current", "true")
    expect(page.locator(".draft-header__agency")).to_contain_text("Cơ quan chủ trì soạn thảo")


def test_print_view_shows_only_the_one_article(new_page, consultation):
    page = new_page()
    page.goto(f"{consultation.url}in/dieu-2/")

    articles = page.locator(".provision--article")
    expect(articles).to_have_count(1)
    expect(articles).to_have_attribute("id", "dieu-2")
    expect(articles.get_by_role("heading", level=1)).to_contain_text("Điều 2. Đối tượng áp dụng")
    for anchor in ("dieu-2-khoan-1", "dieu-2-khoan-2", "dieu-2-khoan-2-diem-a"):
        expect(page.locator(f"[id='{anchor}']")).to_be_visible()
    expect(page.get_by_text("Người nước ngoài")).to_be_visible()
    for elsewhere in ("dieu-1", "dieu-5", "chuong-1", "doan-1"):
        expect(page.locator(f"[id='{elsewhere}']")).to_have_count(0)
    expect(page.locator("nav.toc")).to_have_count(0)
    expect(page.get_by_text("Luật này quy định về đất đai.")).to_have_count(0)

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".print-actions")).to_be_hidden()
    expect(articles).to_be_visible()
