"""Signal handlers of consult: cross-cutting work only, connected in ConsultConfig.ready()."""

from consult.feedback.models import ENDORSEMENT_FLAG


def endorsement_deleted(sender, instance, **kwargs) -> None:
    """An endorsement row deleted outside the service (a cascade when an account is deleted):
    recount the comment's endorsements so the count stays the number of people endorsing."""
    if instance.flag != ENDORSEMENT_FLAG:
        return
    from consult.feedback.services import endorsements_recount

    endorsements_recount(instance.comment_id)


def provisions_published(sender, page, version, created, added, **kwargs) -> None:
    """A version's provision rows were written: the rows it created (all of them, for a
    version published for the first time) count the comments their provision had on the
    earlier versions, so "12 góp ý" on Dự thảo 1 is still 12 on Dự thảo 2."""
    from consult.feedback.counters import version_counts_refresh

    if created:
        version_counts_refresh(version=version)
    elif added:
        version_counts_refresh(version=version, keys=added)


def connect() -> None:
    from django.db.models.signals import post_delete
    from django_comments.models import CommentFlag

    from drafts.events import provisions_published as provisions_published_signal
    from drafts.models import DraftPage

    post_delete.connect(
        endorsement_deleted, sender=CommentFlag, dispatch_uid="consult.endorsement_deleted"
    )
    provisions_published_signal.connect(
        provisions_published, sender=DraftPage, dispatch_uid="feedback.provisions_published"
    )
