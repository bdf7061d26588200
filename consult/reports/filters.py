"""Filters of the report exports listing (consult.reports.viewsets)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from consult.answers.services import answerable_drafts
from consult.reports.models import ReportExport


def _drafts(request):
    return answerable_drafts(request.user)


class ReportExportFilterSet(WagtailFilterSet):
    """By draft (those the user answers), format, scope and status."""

    draft = django_filters.ModelChoiceFilter(label=_("Draft"), queryset=_drafts)

    class Meta:
        model = ReportExport
        fields = ["draft", "format", "scope", "status"]
