"""Public accountability pages: every agency ranked, and one agency's record."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from consult.accountability import selectors as accountability
from consult.accountability.hooks import agency_page_context
from consult.opinions.selectors import OpinionTally, agency_opinion_tallies, agency_opinion_tally
from drafts.models import Agency

SORT_PARAM = "sap-xep"
# The query-string value of each order, in the order of the table's columns.
SORTS = {
    "gop-y": ("comments", _("Comments")),
    "tra-loi": ("answered", _("Share answered")),
    "so-ngay": ("days", _("Median days to answer")),
    "bao-cao-qua-han": ("overdue", _("Overdue reports")),
    "hai-long": ("satisfaction", _("Satisfied")),
}
DEFAULT_SORT = "tra-loi"


def ranking(request):
    """All agencies in a table sortable by each figure (?sap-xep=…), with bar charts."""
    sort = request.GET.get(SORT_PARAM, DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    result = accountability.agency_ranking(order=SORTS[sort][0])
    opinions = agency_opinion_tallies()  # asked by other agencies (Law 64/2025 Art. 30)
    for record in result.records:
        record.opinions = opinions.get(record.agency.pk, OpinionTally())
    columns = {
        order: {
            "url": f"?{SORT_PARAM}={param}",
            "label": label,
            "current": param == sort,
            "direction": "descending" if accountability.RANKING_ORDERS[order][1] else "ascending",
        }
        for param, (order, label) in SORTS.items()
    }
    return TemplateResponse(
        request,
        "accountability/ranking.html",
        {
            "ranking": result,
            "records": result.records,
            "columns": columns,
            "sort": sort,
            "sort_label": SORTS[sort][1],
            "overdue_days": settings.REPORT_OVERDUE_DAYS,
        },
    )


def agency_detail(request, key: str):
    """One agency: its headline figures, decisions, satisfaction and consultations.
    The agency is named by its slug or by its code."""
    agency = Agency.objects.filter(Q(slug=key) | Q(code=key.upper())).first()
    if agency is None:
        raise Http404
    record = accountability.agency_record(agency)
    return TemplateResponse(
        request,
        "accountability/agency.html",
        {
            "agency": agency,
            "record": record,
            "tally": record.tally,
            "overdue_days": settings.REPORT_OVERDUE_DAYS,
            # Requests for its opinion from other agencies (Law 64/2025 Art. 30).
            "opinions": agency_opinion_tally(agency.pk),
            **agency_page_context(agency=agency, request=request),
        },
    )
