"""Signal handlers of consult: cross-cutting work only, connected in ConsultConfig.ready()."""

from consult.feedback.models import ENDORSEMENT_FLAG


def endorsement_deleted(sender, instance, **kwargs) -> None:
    """An endorsement row deleted outside the service (a cascade when an account is deleted):
    recount the comment's endorsements so the count stays the number of people endorsing."""
    if instance.flag != ENDORSEMENT_FLAG:
        return
    from consult.feedback.services import endorsements_recount

    endorsements_recount(instance.comment_id)


def connect() -> None:
    from django.db.models.signals import post_delete
    from django_comments.models import CommentFlag

    post_delete.connect(
        endorsement_deleted, sender=CommentFlag, dispatch_uid="consult.endorsement_deleted"
    )
