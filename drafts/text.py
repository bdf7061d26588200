"""Text helpers for Vietnamese: folding diacritics so "dat dai" finds "đất đai"."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse whitespace."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.split())
