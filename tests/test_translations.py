"""Vietnamese is the first language: every interface string has its translation."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(REPO.glob("locale*/vi/LC_MESSAGES/django.po"))


def entries(path: Path) -> list[str]:
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return [b for b in blocks[1:] if "msgid" in b and not b.lstrip().startswith("#~")]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(REPO)))
def test_catalogue_is_complete_and_compiled(catalogue):
    untranslated = [
        b for b in entries(catalogue) if re.search(r'msgstr(\[0\])? ""\n?$', b.strip() + "\n")
    ]
    fuzzy = [b for b in entries(catalogue) if "#, fuzzy" in b]
    assert not untranslated, untranslated[:3]
    assert not fuzzy, fuzzy[:3]
    compiled = catalogue.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= catalogue.stat().st_mtime - 1


@pytest.mark.django_db
def test_sign_in_page_speaks_vietnamese(client):
    html = client.get("/tai-khoan/login/").content.decode()
    assert "Mật khẩu" in html
    assert "Password" not in html
