"""The e-mail backend of the project (EMAIL_BACKEND): every `send_mail` goes to the outbox.

Like post_office's own backend, but each message is written as it is, not rendered again as a
Django template (see `econsult.outbox.services`), and the drain is queued on commit.
"""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

from econsult.outbox.services import Message, outbox_send


class OutboxBackend(BaseEmailBackend):
    """Writes each EmailMessage to the outbox in the caller's transaction; sends nothing.

    Returns the number of messages written. Attachments are not supported (the product sends
    none) and raise ValueError rather than being dropped.
    """

    def send_messages(self, email_messages) -> int:
        messages = []
        for email in email_messages or ():
            if email.attachments:
                raise ValueError("E-mails with attachments cannot go through the outbox.")
            html = next(
                (body for body, kind in getattr(email, "alternatives", ()) if kind == "text/html"),
                "",
            )
            headers = dict(email.extra_headers)
            if email.reply_to:
                headers.setdefault("Reply-To", ", ".join(str(v) for v in email.reply_to))
            messages.append(
                Message(
                    to=tuple(email.to),
                    cc=tuple(email.cc),
                    bcc=tuple(email.bcc),
                    subject=str(email.subject),
                    body=email.body,
                    html=html,
                    from_email=email.from_email,
                    headers=headers or None,
                )
            )
        return len(outbox_send(messages))
