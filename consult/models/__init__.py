from .feedback import Feedback, FeedbackFlagReason, RespondentType, Stance
from .moderation import ModerationAction
from .response import (
    Decision,
    DraftFigures,
    ReportExport,
    Response,
    ResponseRevision,
    Satisfaction,
    SynthesisReport,
)

__all__ = [
    "Decision",
    "DraftFigures",
    "Feedback",
    "FeedbackFlagReason",
    "ModerationAction",
    "ReportExport",
    "RespondentType",
    "Response",
    "ResponseRevision",
    "Satisfaction",
    "Stance",
    "SynthesisReport",
]
