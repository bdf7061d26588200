"""Posting feedback the way a browser does: read the form off the page, send it back."""

from html.parser import HTMLParser

from django.test import Client


class _FormReader(HTMLParser):
    """The action and hidden inputs of each form on a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.current: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = (attrs.get("action") or "", {})
        elif tag == "input" and self.current is not None and attrs.get("type") == "hidden":
            self.current[1][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None


def feedback_form(html: str) -> tuple[str, dict[str, str]]:
    """The feedback form (the one carrying xtd's security hash): its action and hidden fields,
    with the honeypot left empty as a person leaves it."""
    reader = _FormReader()
    reader.feed(html)
    found = [form for form in reader.forms if "security_hash" in form[1]]
    assert len(found) == 1, f"{len(found)} feedback forms on the page"
    action, fields = found[0]
    return action, {**fields, "honeypot": ""}


def form_fields(html: str) -> dict[str, str]:
    return feedback_form(html)[1]


def post_feedback(client: Client, url: str, **data) -> tuple:
    """GET the thread page at `url`, then POST its form with `data`; returns (response, fields)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    action, fields = feedback_form(page.content.decode())
    assert {"timestamp", "security_hash", "content_type", "object_pk", "submission_key"} <= set(
        fields
    ), f"the feedback form lacks hidden fields: {sorted(fields)}"
    payload = {"respondent_type": "citizen", "show_name": "on", **fields, **data}
    return client.post(action or url, payload), fields
