"""The app config django-comments-xtd is installed with (see INSTALLED_APPS)."""

from django_comments_xtd.apps import CommentsXtdConfig


class FeedbackXtdConfig(CommentsXtdConfig):
    """django-comments-xtd without the pre_save handler it connects in its own `ready()`.

    That handler (`publish_or_unpublish_on_pre_save`) copies a comment's visibility onto every
    reply below it on each save, so approving, removing, restoring or dismissing the flags of one
    comment silently published or hid its replies. Here each comment's visibility is its own
    state, changed only by a decision about that comment (see consult/moderation/services.py).
    """

    def ready(self) -> None:
        """Connect nothing: the product's services change one comment at a time."""
