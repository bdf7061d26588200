"""Wagtail's admin speaks complete Vietnamese: every msgid of the English catalogues of the
Wagtail apps we install (server side and JavaScript) has a Vietnamese translation, from
Wagtail's own vi catalogue or, where that one is empty, fuzzy or missing, from ours
(locale/vi, which LOCALE_PATHS puts first). A Wagtail upgrade that brings new strings fails
here with the list of msgids to translate at the end of locale/vi/LC_MESSAGES/django.po.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.utils.translation.trans_real import DjangoTranslation

# Wagtail's own msgid whose plural names %(descendant_count)s while the singular does not and
# the template passes 0 for it: a Vietnamese form (one form for every count) would have to
# print that 0, or msgfmt refuses it. Shown only for pages with translations (no
# wagtail.locales here).
UNTRANSLATABLE = {
    "Deleting this page will also delete %(translation_count)s translation of this page.",
}


def po_entries(path: Path) -> list[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of each live, non-header entry of a .po file."""
    entries, current, key = [], {}, None

    def flush():
        if current.get("msgid"):
            entries.append((current.get("msgctxt"), current["msgid"], current.get("msgid_plural")))
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            if not line:
                flush()
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if key:
                current[key] += ast.literal_eval(line)
            continue
        word, _, rest = line.partition(" ")
        key = word if word in ("msgctxt", "msgid", "msgid_plural") else None
        if key:
            current[key] = ast.literal_eval(rest)
    flush()
    return entries


def wagtail_catalogues(domain: str) -> list[Path]:
    return [
        Path(config.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        for config in apps.get_app_configs()
        if config.name.split(".")[0] == "wagtail"
        and (Path(config.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po").exists()
    ]


def test_the_reader_finds_wagtail_entries():
    admin = [p for p in wagtail_catalogues("django") if p.parts[-5] == "admin"]
    assert admin, "wagtail.admin's English catalogue is missing"
    msgids = {msgid for _, msgid, _ in po_entries(admin[0])}
    assert "View live" in msgids
    assert "Page '%(page_title)s' has been published." in msgids


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_wagtail_msgid_has_vietnamese(domain):
    catalogue = DjangoTranslation("vi", domain=domain)._catalog
    missing = []
    for path in wagtail_catalogues(domain):
        for msgctxt, msgid, plural in po_entries(path):
            key = f"{msgctxt}\x04{msgid}" if msgctxt else msgid
            if msgid in UNTRANSLATABLE:
                continue
            translated = catalogue.get((key, 0) if plural else key)
            if not translated:
                missing.append(f"{path.parts[-5]}: {msgid!r}")
    assert not missing, f"{len(missing)} untranslated, e.g. " + "\n".join(missing[:20])
