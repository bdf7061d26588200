"""The interface speaks one language at a time: complete Vietnamese and complete English.

For each language (chosen as a visitor chooses it: the language cookie the switcher sets, which
Wagtail's admin follows too), the public pages and the main admin screens of an agency editor
are fetched, and two independent checks run on each answer:

1. Catalogue check (Vietnamese): every gettext lookup made while serving the page is recorded
   (Django's translation objects are wrapped), and a msgid whose English text shows in the
   answer must have a Vietnamese translation in the catalogues. This finds the missing strings
   of Wagtail's own templates and of ours without a list of known strings. Wagtail's admin
   JavaScript takes its strings from /admin/jsi18n/: every msgid of Wagtail's JavaScript
   catalogue must be translated there.
2. Text scan: the visible interface text (text nodes and the attributes people read: title,
   placeholder, aria-label, alt, button values), without user content, must not contain text of
   the other language: Vietnamese letters in English mode, common English interface words in
   Vietnamese mode. User content is what carries a `lang` attribute other than the page's (the
   draft's text is marked lang="vi") and the world's own data (titles, names, comments), which
   Wagtail's admin shows without such a mark.
"""

from __future__ import annotations

import html
import json
import re
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import trans_real
from wagtail.models import Task, Workflow

from consult.reports.services import report_publish
from drafts.services import editor_group_ensure
from tests import factories

# msgids that read the same in both languages: names, formats, abbreviations.
SAME_IN_BOTH = frozenset(
    {
        "eConsultation",
        "Email",
        "E-mail",
        "CSV",
        "DOCX",
        "XLSX",
        "JSON",
        "PDF",
        "OK",
        "Wagtail",
        "API",
        "ID",
    }
)

# Text of the other language still shown, outside this part's files, (language, path) → lines.
# Each entry must still be seen (the test says when one can go).
KNOWN_DEFECTS: dict[tuple[str, str], set[str]] = {}

# Vietnamese proper names the English interface shows as they are: the example display name
# of the sign-up form (econsult/account_forms.py).
PROPER_NAMES = ("Nguyễn Thị Lan",)

# Words of Wagtail's and our English interface that never belong on a Vietnamese page.
ENGLISH_WORDS = (
    "Add",
    "Actions",
    "Are you sure",
    "Back",
    "Cancel",
    "Close",
    "Collapse",
    "Comments",
    "Dashboard",
    "Delete",
    "Draft",
    "Edit",
    "Expand",
    "Filter",
    "Help",
    "History",
    "Live",
    "Loading",
    "Log out",
    "More",
    "Next",
    "Page",
    "Pages",
    "Password",
    "Preview",
    "Previous",
    "Promote",
    "Publish",
    "Reports",
    "Required",
    "Save",
    "Search",
    "Settings",
    "Sort",
    "Status",
    "Submit",
    "Title",
    "Unpublish",
    "View",
    "the",
    "your",
    "and",
    "for",
    "with",
)
ENGLISH = re.compile(r"(?<![\w.@/-])(" + "|".join(map(re.escape, ENGLISH_WORDS)) + r")(?![\w@])")
# Letters only Vietnamese uses (with its tone marks), upper and lower case.
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)

# Vietnamese that belongs in the English interface: the citation of a provision ("Copy link to
# Khoản 2 Điều 5", as the law names it) and the Vietnamese name of a legal term after its
# English one ("Law (Luật)", "draft number (Dự thảo số)").
VIETNAMESE_NAMES = re.compile(
    r"\b(?:Phần|Chương|Mục|Tiểu mục|Điều|Khoản|Điểm|Phương án)\s+\w+"
    r"(?:\s+(?:khoản|điều|mục|chương)\s+\w+)*"
    r"|(?<=[A-Za-z] )\([^()]*\)",
    re.IGNORECASE,
)
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIPPED_ELEMENTS = {"script", "style", "template", "noscript", "svg", "textarea", "select"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class InterfaceText(HTMLParser):
    """The text a person reads on a page in `language`, without user content (what an element
    whose `lang` is another language holds, unless an inner element sets the page's language
    again) and without scripts, styles, templates and form fields' contents."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, str, bool]] = []  # (tag, language, hidden)

    parts: list[str]

    def reset(self):
        super().reset()
        self.stack, self.parts = [], []

    @property
    def reading(self) -> bool:
        if not self.stack:
            return True
        _, language, hidden = self.stack[-1]
        return language == self.language and not hidden

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = (attrs.get("lang") or "").split("-")[0]
        if not language or tag == "html":
            language = self.stack[-1][1] if self.stack else self.language
        hidden = tag in SKIPPED_ELEMENTS or bool(self.stack and self.stack[-1][2])
        if language == self.language and not hidden:
            self.parts.extend(attrs[name] for name in READ_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, language, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.reading and data.strip():
            self.parts.append(data)


def interface_text(page: str, language: str, user_content: list[str]) -> str:
    parser = InterfaceText(language)
    parser.feed(page)
    text = "\n".join(" ".join(part.split()) for part in parser.parts)
    for value in sorted(user_content, key=len, reverse=True):
        text = text.replace(value, " ")
    if language == "en":
        text = VIETNAMESE_NAMES.sub(" ", text)
    return text


@contextmanager
def gettext_lookups():
    """Record every msgid looked up in a translation catalogue while the block runs, as
    (language, msgid, translated) tuples; a plural lookup records both its forms."""
    lookups: list[tuple[str, str, bool]] = []
    cls = trans_real.DjangoTranslation
    gettext, ngettext = cls.gettext, cls.ngettext

    def found(self, key) -> bool:
        while self is not None:
            if key in self._catalog:
                return True
            self = getattr(self, "_fallback", None)
        return False

    def recording_gettext(self, message):
        lookups.append((self.language(), message, found(self, message)))
        return gettext(self, message)

    def recording_ngettext(self, msgid1, msgid2, n):
        translated = found(self, (msgid1, 0))
        lookups.extend((self.language(), msgid, translated) for msgid in (msgid1, msgid2))
        return ngettext(self, msgid1, msgid2, n)

    cls.gettext, cls.ngettext = recording_gettext, recording_ngettext
    try:
        yield lookups
    finally:
        cls.gettext, cls.ngettext = gettext, ngettext


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def shows(msgid: str, page_text: str) -> bool:
    """Whether the English `msgid` (its placeholders filled by anything, in any case: Django
    capitalises field labels) reads in the text."""
    if trans_real.CONTEXT_SEPARATOR in msgid:
        msgid = msgid.split(trans_real.CONTEXT_SEPARATOR, 1)[1]
    literal = [re.escape(" ".join(chunk.split())) for chunk in PLACEHOLDER.split(msgid)]
    if not "".join(literal).strip() or not re.search("[A-Za-z]{2}", msgid):
        return False
    pattern = r"(?<![\w])" + ".{0,120}?".join(literal) + r"(?![\w])"
    return re.search(pattern, page_text, re.IGNORECASE) is not None


@pytest.fixture
def world(home, agency, draft, client):
    """An open draft with comments (one anonymous), a closed draft with its published report,
    and an agency editor of the demo's group."""
    draft.allow_anonymous = True  # the comment form asks for an e-mail address
    draft.save(update_fields=["allow_anonymous"])
    group = editor_group_ensure(home=home, name="Biên tập viên")
    editor = factories.UserFactory(username="bientap.a", first_name="Lan", last_name="Nguyễn")
    editor.groups.add(group)
    agency.staff.add(editor)
    citizen = factories.UserFactory(username="nguoidan")
    comments = [
        factories.make_feedback(draft, user=citizen, text="Đề nghị làm rõ khái niệm đất đai."),
        factories.make_feedback(draft, text="Tôi đồng ý với dự thảo."),
        # Shown without a name: "Anonymous" in English, "Ẩn danh" in Vietnamese.
        factories.make_feedback(draft, user=citizen, text="Nên có lộ trình.", show_name=False),
    ]
    closed = factories.draft_page(
        parent=home,
        agency=agency,
        title="Dự thảo Luật Điện ảnh",
        slug="du-thao-luat-dien-anh",
    )
    factories.make_feedback(closed, user=citizen, text="Góp ý về điện ảnh.")
    report_publish(user=editor, draft=closed, introduction="Báo cáo tổng hợp ý kiến.")
    user_content = [
        # Names the site's staff give (the default workflow's is Vietnamese data)
        *Workflow.objects.values_list("name", flat=True),
        *Task.objects.values_list("name", flat=True),
        home.title,
        draft.title,
        closed.title,
        agency.name,
        agency.code,
        editor.username,
        editor.get_full_name(),
        "Nguyễn",
        citizen.username,
        "Người dân",
        "Báo cáo tổng hợp ý kiến.",
        *[c.comment for c in comments],
        "Góp ý về điện ảnh.",
        *PROPER_NAMES,
    ]
    return {
        "home": home,
        "draft": draft,
        "closed": closed,
        "editor": editor,
        "citizen": citizen,
        "user_content": user_content,
    }


def public_urls(world) -> list[str]:
    draft, closed = world["draft"], world["closed"]
    return [
        "/",
        draft.url,
        f"{draft.url}gop-y/",
        f"{draft.url}gop-y/dieu-1/",  # a provision's conversation, with the comment form
        f"{draft.url}tim-kiem/?q=đất+đai",
        f"{closed.url}bao-cao/",
        "/co-quan/",
        "/tai-khoan/signup/",
        "/tai-khoan/login/",
    ]


def signed_in_public_urls(world) -> list[str]:
    return ["/tai-khoan/gop-y/", world["draft"].url, f"{world['draft'].url}gop-y/dieu-1/"]


def admin_urls(world) -> list[str]:
    draft, home = world["draft"], world["home"]
    return [
        "/admin/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{draft.pk}/edit/",
        "/admin/consult/answers/",
        f"/admin/consult/answers/{draft.pk}/",
        "/admin/consult/moderation/",
        f"/admin/consult/answers/{world['closed'].pk}/",
        "/admin/consult/report-exports/",
        "/admin/search/feedback/?q=đất",
        f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}",  # "Are you sure…?"
    ]


def fetch(client, url: str, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with gettext_lookups() as lookups:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode(), lookups


def untranslated_on_page(page: str, lookups, user_content) -> list[str]:
    text = html.unescape(page)
    for value in user_content:
        text = text.replace(value, " ")
    missing = {
        msgid
        for language, msgid, translated in lookups
        if language == "vi" and not translated and msgid not in SAME_IN_BOTH
    }
    return sorted(msgid for msgid in missing if shows(msgid, text))


def other_language_text(page: str, language: str, user_content) -> list[str]:
    text = interface_text(page, language, user_content)
    pattern = VIETNAMESE if language == "en" else ENGLISH
    return [line for line in text.splitlines() if pattern.search(line)]


def pages(client, world):
    for url in public_urls(world):
        yield "public", url
    client.force_login(world["citizen"])
    for url in signed_in_public_urls(world):
        yield "citizen", url
    client.logout()
    client.force_login(world["editor"])
    for url in admin_urls(world):
        yield "editor", url


@pytest.mark.django_db
def test_vietnamese_pages_use_only_translated_strings(client, world):
    problems = {}
    for who, url in pages(client, world):
        page, lookups = fetch(client, url, "vi")
        assert any(language == "vi" for language, _, _ in lookups), url
        missing = untranslated_on_page(page, lookups, world["user_content"])
        if missing:
            problems[f"{who} {url}"] = missing
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_pages_show_no_text_of_the_other_language(client, world, language):
    problems = {}
    for who, url in pages(client, world):
        page, _ = fetch(client, url, language)
        assert f'lang="{language}"' in page[:500], (url, page[:500])
        found = other_language_text(page, language, world["user_content"])
        known = KNOWN_DEFECTS.get((language, url.split("?")[0]), set())
        if known:
            assert known & set(found), (
                f"{url} no longer shows {known}: remove it from KNOWN_DEFECTS"
            )
        found = [line for line in found if line not in known]
        if found:
            problems[f"{who} {url}"] = found
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


WAGTAIL_JS_CATALOGUE = (
    Path(trans_real.__file__).parents[3]
    / "wagtail"
    / "admin"
    / "locale"
    / "en"
    / "LC_MESSAGES"
    / "djangojs.po"
)


def po_msgids(path: Path) -> list[str]:
    """The msgids of a .po file (continuation lines joined), without the header."""
    ids, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            current = [json.loads(line[6:])]
        elif line.startswith('"') and current is not None:
            current.append(json.loads(line))
        else:
            if current is not None and "".join(current):
                ids.append("".join(current))
            current = None
    return ids


@pytest.mark.django_db
def test_admin_javascript_catalogue_is_complete_in_vietnamese(client, world):
    client.force_login(world["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    script = client.get("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    missing = [m for m in po_msgids(WAGTAIL_JS_CATALOGUE) if m not in catalogue]
    assert not missing, missing


def test_the_checks_can_fail():
    """The scan and the catalogue check find what they look for."""
    page = (
        '<html lang="vi"><body><h1>Lưu bản nháp</h1><button title="Save draft">x</button>'
        '<div lang="en">Save this user text</div></body></html>'
    )
    assert other_language_text(page, "vi", []) == ["Save draft"]
    assert other_language_text(page.replace("Lưu bản nháp", "Draft"), "en", []) == []
    nested = '<html lang="en"><div lang="vi">Nội dung <span lang="en">Cửa sổ</span></div></html>'
    assert other_language_text(nested, "en", []) == ["Cửa sổ"]
    cited = '<html lang="en"><a aria-label="Copy link to Khoản 2 Điều 5">Law (Luật)</a></html>'
    assert other_language_text(cited, "en", []) == []
    assert other_language_text('<html lang="en"><p>Ẩn danh</p></html>', "en", []) == ["Ẩn danh"]
    lookups = [("vi", "Page %(page)s of %(total)s", False), ("vi", "Lưu", True)]
    assert untranslated_on_page("<p>Page 1 of 3</p>", lookups, []) == ["Page %(page)s of %(total)s"]


@pytest.mark.django_db
def test_the_default_workflow_is_named_in_vietnamese(client, world):
    assert not Workflow.objects.filter(name__icontains="Moderators").exists()
    assert not Task.objects.filter(name__icontains="Moderators").exists()
    client.force_login(world["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(f"/admin/pages/{world['draft'].pk}/edit/").content.decode()
    assert "Gửi duyệt (Phê duyệt của người kiểm duyệt)" in page
    assert "Moderators" not in page


@pytest.mark.django_db
def test_the_pages_menu_is_not_called_pagination(client, world):
    client.force_login(world["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    dashboard = client.get("/admin/").content.decode()
    props = json.loads(
        re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', dashboard, re.S)[1]
    )
    labels = re.findall(r'"label": "([^"]*)"', json.dumps(props, ensure_ascii=False))
    assert "Trang" in labels, labels
    assert "Phân trang" not in labels
