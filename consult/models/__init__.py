from .feedback import Feedback, FeedbackFlagReason, RespondentType, Stance
from .moderation import ModerationAction

__all__ = [
    "Feedback",
    "FeedbackFlagReason",
    "ModerationAction",
    "RespondentType",
    "Stance",
]
