from django.template.loader import render_to_string
from django.urls import reverse
from wagtail import hooks

from consult.accountability.hooks import AGENCY_PAGE_CONTEXT
from consult.feedback.notifications import MAIL_PREFERENCES_HOOK, REPLY_INTEREST_HOOK
from consult.notifications import selectors, services
from drafts.hooks import DRAFT_PAGE_CONTEXT


def _button(request, *, action_url: str, following: bool, label_follow: str) -> str:
    return render_to_string(
        "notifications/follow_button.html",
        {"action_url": action_url, "following": following, "what": label_follow},
        request=request,
    )


@hooks.register(DRAFT_PAGE_CONTEXT)
def draft_follow_button(*, page, request):
    """The "Theo dõi" / "Bỏ theo dõi" button in the draft's heading (not in previews)."""
    if getattr(request, "is_preview", False) or not page.live:
        return {}
    return {
        "follow_button": _button(
            request,
            action_url=reverse("notifications:follow_draft", args=[page.pk]),
            following=selectors.is_following(request.user, draft=page),
            label_follow="draft",
        )
    }


@hooks.register(AGENCY_PAGE_CONTEXT)
def agency_follow_button(*, agency, request):
    """The follow button of an agency's accountability page: all its drafts."""
    return {
        "follow_button": _button(
            request,
            action_url=reverse("notifications:follow_agency", args=[agency.slug]),
            following=selectors.is_following(request.user, agency=agency),
            label_follow="agency",
        )
    }


hooks.register(MAIL_PREFERENCES_HOOK, services.mail_preferences)
hooks.register(REPLY_INTEREST_HOOK, selectors.followers_of_draft)
