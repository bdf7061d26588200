"""Posting feedback the way a browser does: read the form off the page, send it back."""

import re

from django.test import Client


def form_fields(html: str) -> dict[str, str]:
    """Hidden inputs of the feedback form (timestamp, security hash, submission key …)."""
    form = html.split('id="feedback-form"', 1)[1]
    fields = {}
    for tag in re.findall(r"<input[^>]+>", form):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and kind and kind.group(1) == "hidden":
            fields[name.group(1)] = value.group(1) if value else ""
    fields["honeypot"] = ""
    return fields


def post_feedback(client: Client, url: str, **data) -> tuple:
    """GET the thread page at `url`, then POST its form with `data`; returns (response, fields)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    fields = form_fields(page.content.decode())
    payload = {"respondent_type": "citizen", "show_name": "on", **fields, **data}
    return client.post(url, payload), fields
