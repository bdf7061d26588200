"""Every page sends a Content-Security-Policy that refuses inline code, and the code the site
and Wagtail's admin put inline carries the request's nonce. (tests/e2e/test_csp.py checks in a
real browser that the pages work under it.)"""

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [REPO / "templates", REPO / "econsult" / "templates"]
PYTHON_DIRS = [REPO / name for name in ("consult", "drafts", "search", "econsult")]

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
INLINE_CODE = [
    (re.compile(r"<style\b(?![^>]*\bnonce=)", re.I), "<style> without a nonce"),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I), "on…= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"""\sstyle\s*=\s*["'{]""", re.I), 'style="" attribute'),
]


def inline_code(text: str) -> list[str]:
    """What in an HTML text the policy would refuse: inline code without a nonce."""
    found = [
        f"<script{attrs}>"
        for attrs in SCRIPT_TAG.findall(text)
        if "src=" not in attrs and "nonce=" not in attrs and "application/json" not in attrs
    ]
    found += [label for pattern, label in INLINE_CODE if pattern.search(text)]
    return found


def python_strings(source: str) -> str:
    """The string literals of a Python module (f-strings' literal parts too), docstrings left
    out: the HTML that Python code may render."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    parts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts.append(
                "".join(v.value if isinstance(v, ast.Constant) else "0" for v in node.values)
            )
        # A bare "<script>" is a search token (econsult.csp), not markup written out.
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and node.value != "<script>"
        ):
            parts.append(node.value)
    return "\n".join(parts)


def test_no_template_or_python_html_holds_inline_code_without_a_nonce():
    problems = {}
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            if "email" not in path.parts and (found := inline_code(path.read_text("utf-8"))):
                problems[str(path.relative_to(REPO))] = found
    for folder in PYTHON_DIRS:
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            if found := inline_code(python_strings(path.read_text("utf-8"))):
                problems[str(path.relative_to(REPO))] = found
    assert not problems


def nonce_of(response) -> str | None:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return match.group(1) if match else None


@pytest.mark.django_db
def test_public_pages_send_a_policy_without_unsafe_inline(client, draft):
    for url in (draft.url, "/", "/co-quan/", "/tai-khoan/login/", "/khong-co-trang-nay/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy, url
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy, url
        assert not inline_code(response.content.decode()), url


@pytest.mark.django_db
def test_wagtails_inline_scripts_in_the_page_editor_carry_the_requests_nonce(
    client, draft, superuser
):
    """The date pickers' scripts are rendered by form widgets, which get no request."""
    client.force_login(superuser)
    response = client.get(f"/admin/pages/{draft.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    inline = [
        attrs
        for attrs in SCRIPT_TAG.findall(html)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert "initDateTimeChooser" in html and "new DocumentChooser" in html and inline
    nonce = nonce_of(response)
    assert nonce
    without = [
        html[match.start() : match.start() + 300]
        for match in SCRIPT_TAG.finditer(html)
        if "src=" not in match.group(1)
        and "application/json" not in match.group(1)
        and f'nonce="{nonce}"' not in match.group(1)
    ]
    assert not without, without
