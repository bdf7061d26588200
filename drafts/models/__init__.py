from .agencies import Agency
from .pages import (
    ConsultationIndexPage,
    ConsultationStatus,
    DocumentType,
    DraftDocument,
    DraftPage,
    Moderation,
)
from .provisions import DraftVersion, Provision

__all__ = [
    "Agency",
    "ConsultationIndexPage",
    "ConsultationStatus",
    "Moderation",
    "DocumentType",
    "DraftDocument",
    "DraftPage",
    "DraftVersion",
    "Provision",
]
