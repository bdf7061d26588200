"""Compare the search index with the database and, with --repair, bring it up to date.

    python manage.py search_reconcile [--draft ID] [--repair] [--json]

Lists the comments missing from the index, those indexed as they were before a change (stale)
and the ids the index holds but the database no longer has (extra).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from drafts.models import DraftPage
from search.management.progress import Progress
from search.reconcile import index_reconcile, index_repair

SHOWN_IDS = 20


class Command(BaseCommand):
    help = "Compare the search index with the database; --repair fixes the differences."

    def add_arguments(self, parser):
        parser.add_argument("--draft", type=int, help="Only this draft's feedback (page id).")
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Index the missing and stale comments, delete the extra ones.",
        )
        parser.add_argument("--json", action="store_true", help="One JSON object on stdout.")

    def handle(self, *args, draft=None, repair=False, **options):
        as_json = options["json"]
        if draft is not None and not DraftPage.objects.filter(pk=draft).exists():
            raise CommandError(f"There is no draft with id {draft}.")
        report = index_reconcile(draft_id=draft)
        found = not report.in_step
        if repair and found:
            todo = len(report.missing) + len(report.stale) + len(report.extra)
            progress = None if as_json else Progress(self.stdout, todo, label="search_reconcile")
            index_repair(report, progress=progress)
            if progress:
                progress.finish()
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self._describe(report)

    def _describe(self, report) -> None:
        scope = f"draft {report.draft_id}" if report.draft_id is not None else "all drafts"
        self.stdout.write(
            f"{report.backend} index, {scope}: {report.expected} comments in the database, "
            f"{report.indexed} in the index"
        )
        for name in ("missing", "stale", "extra"):
            ids = getattr(report, name)
            shown = ", ".join(map(str, ids[:SHOWN_IDS])) + (" …" if len(ids) > SHOWN_IDS else "")
            self.stdout.write(f"  {name}: {len(ids)}" + (f" ({shown})" if ids else ""))
        if report.in_step:
            self.stdout.write(self.style.SUCCESS("The index is in step with the database."))
        elif report.repaired:
            self.stdout.write(
                self.style.SUCCESS(f"Repaired: {report.written} written, {report.deleted} deleted.")
            )
        else:
            self.stdout.write(self.style.WARNING("Run again with --repair to fix the index."))
