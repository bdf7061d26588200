"""Draft titles begin with "Dự thảo": no e-mail of following, answers or replies says
"dự thảo “Dự thảo …”" (the title is quoted without the noun)."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

TITLE = "Dự thảo Bộ luật Lao động (sửa đổi)"
DRAFT = SimpleNamespace(
    title=TITLE,
    closes_at=datetime(2026, 12, 5, 10, tzinfo=UTC),
    opens_at=datetime(2026, 11, 5, 10, tzinfo=UTC),
    agency=SimpleNamespace(name="Bộ Lao động - Thương binh và Xã hội"),
)
CONTEXT = {
    "draft": DRAFT,
    "agency": DRAFT.agency,
    "version": SimpleNamespace(number=2),
    "closes_before": datetime(2026, 12, 1, 10, tzinfo=UTC),
    "response": SimpleNamespace(agency=DRAFT.agency, get_decision_display="Tiếp thu", reason=""),
    "feedback": SimpleNamespace(user_name="An", public_name="An", comment="Góp ý."),
}
TEMPLATES = [
    "notifications/email/closing",
    "notifications/email/new_consultation",
    "notifications/email/version",
    "notifications/email/report",
    "answers/email/answered",
    "feedback/email/confirm_request",
    "feedback/email/new_reply",
]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("extra", [{}, {"closes_before": None, "to_author": True}])
def test_the_title_is_not_preceded_by_the_word_draft(template, extra):
    context = CONTEXT | extra
    with translation.override("vi"):
        text = render_to_string(f"{template}_subject.txt", context) + render_to_string(
            f"{template}.txt", context
        )
    assert TITLE in text
    assert "dự thảo “dự thảo" not in text.lower(), text
