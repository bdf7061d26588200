"""Index every comment again (or one draft's), showing progress and the throughput.

    python manage.py search_reindex [--draft ID] [--batch N]

Without --draft the backend rebuilds: Elasticsearch fills a new index and switches its alias
when done, so search keeps answering meanwhile. With --draft that draft's comments are
written in place.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from consult.feedback.models import Feedback
from drafts.models import DraftPage
from search.engines import get_backend
from search.management.progress import Progress
from search.tasks import BATCH, batches


class Command(BaseCommand):
    help = "Index all feedback again (or one draft's), with progress and throughput."

    def add_arguments(self, parser):
        parser.add_argument("--draft", type=int, help="Only this draft's feedback (page id).")
        parser.add_argument(
            "--batch",
            type=int,
            default=BATCH,
            help=f"Comments per write with --draft (default {BATCH}); a full rebuild writes "
            "in the backend's own batches.",
        )

    def handle(self, *args, draft=None, batch=BATCH, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        comments = Feedback.objects.order_by("pk")
        if draft is not None:
            if not DraftPage.objects.filter(pk=draft).exists():
                raise CommandError(f"There is no draft with id {draft}.")
            comments = comments.filter(draft_id=draft)
        ids = list(comments.values_list("pk", flat=True))
        backend = get_backend()
        scope = f"draft {draft}" if draft is not None else "all drafts"
        self.stdout.write(
            f"Indexing {len(ids)} comments of {scope} with the {backend.name} backend"
        )
        progress = Progress(self.stdout, len(ids), label="search_reindex")
        started = time.monotonic()
        if draft is None:
            written = backend.rebuild(ids, progress=progress.reach)
        else:
            written = 0
            for chunk in batches(ids, batch):
                written += backend.index(chunk)
                progress(len(chunk))
        progress.finish()
        elapsed = time.monotonic() - started
        rate = written / elapsed if elapsed > 0 else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {written} comments in {elapsed:.1f} s ({rate:.0f} comments/s)."
            )
        )
