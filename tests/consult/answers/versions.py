"""Dự thảo 2 of the sample draft (tests.factories.sample_body), made as a drafting agency does:
the text of Dự thảo 1 copied, Khoản 2 of Điều 5 reworded, a new article inserted before it (so
Điều 5 becomes Điều 6), the draft number raised and the page published."""

import uuid

from drafts.models import Provision
from tests.factories import article_block

NEW_CLAUSE_TEXT = "Nội dung quy hoạch gồm định hướng và chỉ tiêu sử dụng đất."


def publish_next_version(draft, *, edit=True) -> int:
    """Publish the next version of `draft`; with `edit`, the changes above (once: the
    sample's Điều 5 must still be numbered 5). Returns the new version's number."""
    page = draft.get_latest_revision_as_object()
    body = [dict(block) for block in page.body.raw_data]
    if edit:
        at = next(
            i for i, b in enumerate(body) if b["type"] == "article" and b["value"]["number"] == "5"
        )
        article = {**body[at], "value": dict(body[at]["value"])}
        article["value"]["number"] = "6"
        clauses = [dict(c) for c in article["value"]["clauses"]]
        clauses[1] = {**clauses[1], "value": {**clauses[1]["value"], "text": NEW_CLAUSE_TEXT}}
        article["value"]["clauses"] = clauses
        body[at] = article
        inserted = article_block("5", "Nguyên tắc quy hoạch", [("1", "Bảo đảm tính đồng bộ.", [])])
        inserted["id"] = str(uuid.uuid4())
        body.insert(at, inserted)
    page.body = body
    page.version_number = draft.version_number + 1
    page.save_revision().publish()
    draft.refresh_from_db()
    return draft.version_number


def provision(draft, anchor: str, *, version: int | None = None) -> Provision:
    """The live provision `anchor` of version `version` (the current one by default)."""
    return Provision.objects.get(
        version__page=draft,
        version__number=version or draft.version_number,
        anchor=anchor,
        withdrawn=False,
    )
