"""What other rooms show with each listed comment, so that feedback need not know them.

feedback sits below answers, moderation and reports (the import-linter layers in
pyproject.toml). A room that shows something with every comment of a list (consult.answers:
the drafting agency's published answer and the author's rating of it) returns a `CommentExtra`
from a function registered under the Wagtail hook `COMMENT_EXTRAS` ("register_comment_extra")
in its wagtail_hooks.py. Feedback's lists (a conversation, "my feedback") read the relations it
names together with the comments, then let it attach its data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from wagtail import hooks

COMMENT_EXTRAS = "register_comment_extra"


@dataclass(frozen=True)
class CommentExtra:
    """`related`: what to select_related() with each comment; `attach(comments, user=)`: sets
    its attributes on the comments of a list, in a fixed number of queries."""

    related: tuple[str, ...]
    attach: Callable[..., None]


def comment_extras() -> list[CommentExtra]:
    """Every extra the `COMMENT_EXTRAS` hooks register, in the order of the apps."""
    return [hook() for hook in hooks.get_hooks(COMMENT_EXTRAS)]


def comment_extras_related() -> tuple[str, ...]:
    """The relations to read with listed comments for all extras."""
    return tuple(name for extra in comment_extras() for name in extra.related)


def comment_extras_attach(comments: list, *, user: AbstractBaseUser | None = None) -> None:
    """Let every extra attach its data to `comments`, read with `comment_extras_related()`."""
    for extra in comment_extras():
        extra.attach(comments, user=user)


# Comments no moderator may act on. A room that owns some comments' fate (consult.opinions: an
# agency's official opinion, which only that agency withdraws or replaces) registers, under the
# Wagtail hook `MODERATION_LOCKS` ("register_moderation_lock"), a function taking a list of
# feedback ids and returning {id: why it may not be moderated} for those it owns. Moderation
# (above feedback, beside the owner) asks `moderation_locks()` before any decision.
MODERATION_LOCKS = "register_moderation_lock"


def moderation_locks(feedback_ids) -> dict[int, str]:
    """{feedback id: the reason, in words, why moderators may not act on it} for those of
    `feedback_ids` a registered lock claims; {} when none is. One query per lock."""
    ids = [int(pk) for pk in feedback_ids]
    locked: dict[int, str] = {}
    if not ids:
        return locked
    for lock in hooks.get_hooks(MODERATION_LOCKS):
        for pk, why in lock(ids).items():
            locked.setdefault(pk, why)
    return locked
