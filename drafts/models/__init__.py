from .agencies import Agency
from .pages import ConsultationIndexPage, DocumentType, DraftDocument, DraftPage
from .provisions import DraftVersion, Provision

__all__ = [
    "Agency",
    "ConsultationIndexPage",
    "DocumentType",
    "DraftDocument",
    "DraftPage",
    "DraftVersion",
    "Provision",
]
