"""Signal handlers of the drafts app, connected from DraftsConfig.ready()."""

from wagtail.signals import page_published


def write_provisions_on_publish(sender, instance, revision=None, **kwargs):
    from drafts.services import provisions_sync

    user = getattr(revision, "user", None)
    provisions_sync(page=instance, revision=revision, user=user)


def connect() -> None:
    from drafts.models import DraftPage

    page_published.connect(
        write_provisions_on_publish, sender=DraftPage, dispatch_uid="drafts_provisions_publish"
    )
