"""Cleaning what people type: HTML is stripped on input (and everything escaped on output)."""

import html
import re

from django.utils.html import strip_tags

from econsult.text import clean_input

_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: str) -> str:
    """Plain text: tags removed, entities decoded, NFC without invisible controls
    (econsult.text.clean_input), spaces collapsed, at most one blank line."""
    text = clean_input(html.unescape(strip_tags(value or "")))
    text = "\n".join(
        _SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")
    )
    return _BLANK_LINES.sub("\n\n", text).strip()
