"""Wagtail admin screens that show every page of the site whoever asks, kept for superusers.

The agency rule (drafts/permissions.py) reaches Wagtail's views through its permission
policy and the drafts' page viewset. A few reports do not filter by either: the page types
usage report names the last edited page of each type (another agency's unpublished draft
title included). Their URLs are answered here first, for superusers only; others are sent
to the admin's log-in page like any refused admin URL.
"""

from django.contrib.auth.decorators import user_passes_test
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView


def _superuser(user) -> bool:
    return bool(user.is_active and user.is_superuser)


superuser_only = user_passes_test(_superuser, login_url="wagtailadmin_login")


def site_wide_page_reports() -> list:
    """URL patterns to mount before Wagtail's admin: its site-wide page reports, guarded."""
    return [
        path(
            "admin/reports/page-types-usage/",
            superuser_only(require_admin_access(PageTypesUsageReportView.as_view())),
        ),
        path(
            "admin/reports/page-types-usage/results/",
            superuser_only(
                require_admin_access(PageTypesUsageReportView.as_view(results_only=True))
            ),
        ),
    ]
