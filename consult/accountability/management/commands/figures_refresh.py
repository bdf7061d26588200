"""Recompute the accountability figures (DraftFigures) of every draft, or of one."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from consult.accountability.selectors import draft_figures_refresh
from drafts.models import DraftPage


class Command(BaseCommand):
    help = (
        "Recompute the accountability figures of every draft (comments, answers, decisions, "
        "delays, satisfaction), or of one with --draft. The pages read these figures; the "
        "beat task keeps open and recently closed drafts fresh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--draft", type=int, help="Only the draft with this page id.")

    def handle(self, *args, draft=None, **options):
        drafts = DraftPage.objects.order_by("pk")
        if draft is not None:
            drafts = drafts.filter(pk=draft)
            if not drafts.exists():
                raise CommandError(f"No draft with id {draft}.")
        started = time.perf_counter()
        count = 0
        for draft_id in drafts.values_list("pk", flat=True):
            draft_figures_refresh(draft_id=draft_id)
            count += 1
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            f"Refreshed the figures of {count} draft{'s' if count != 1 else ''} "
            f"in {time.perf_counter() - started:.1f} s."
        )
