from .agencies import Agency
from .pages import ConsultationIndexPage, DraftDocument, DraftPage, DocumentType
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
