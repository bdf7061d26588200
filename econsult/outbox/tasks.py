"""The outbox's task: queued on commit after e-mails are written, and run by beat every minute."""

from celery import shared_task

from econsult.outbox.drain import outbox_drain as drain


@shared_task
def outbox_drain() -> dict:
    """Send the outbox's due e-mails; each row is claimed before it is sent, so drains that
    run at once or again (a redelivered task) send nothing twice. Returns the counts."""
    result = drain()
    return {"sent": result.sent, "requeued": result.requeued, "failed": result.failed}
