from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackEntry(models.Model):
    """One comment as the database search engine scans it (search.database.DatabaseBackend):
    the filters, the facets and the folded words, nothing wider.

    A derived copy of `search.documents.FeedbackDocument`, without foreign keys, so comments,
    drafts and provisions are deleted without touching it; indexing a comment that is gone
    deletes its entry. Searches that match half a million comments read every matching row,
    so the row is kept narrow: what only a page of hits, similar comments or campaigns need
    lives in `FeedbackEntryDetail`. `folded` is the folded words of the comment framed by
    spaces (" dat dai "), matched with LIKE on SQLite and, on PostgreSQL, through a GIN index
    on the tsvector of `folded` and `folded_wording` (see search.database.SearchVector; the
    vector itself is not stored).
    """

    id = models.IntegerField(primary_key=True)  # the feedback id
    draft_id = models.IntegerField()
    agency_id = models.IntegerField()
    provision_id = models.IntegerField(null=True, blank=True)
    stance = models.CharField(max_length=12, blank=True)
    respondent_type = models.CharField(max_length=16, blank=True)
    province = models.CharField(max_length=32, blank=True)
    created = models.DateTimeField()
    endorsements = models.IntegerField(default=0)
    answered = models.BooleanField(default=False)
    decision = models.CharField(max_length=16, blank=True)
    public = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    folded = models.TextField(blank=True)
    folded_wording = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [
            models.Index(fields=["draft_id", "created", "id"], name="search_entry_draft_created"),
            models.Index(fields=["created", "id"], name="search_entry_created"),
            models.Index(fields=["endorsements", "id"], name="search_entry_endorsements"),
            # Selective facet filters, for PostgreSQL to AND with the words index.
            models.Index(fields=["province"], name="search_entry_province"),
            models.Index(fields=["respondent_type"], name="search_entry_respondent_type"),
            models.Index(fields=["stance"], name="search_entry_stance"),
        ]

    def __str__(self) -> str:
        return f"search entry {self.pk}"


class FeedbackEntryDetail(models.Model):
    """The rest of an entry: the text shown in hits, the campaign keys, the stamp."""

    entry = models.OneToOneField(
        FeedbackEntry, on_delete=models.CASCADE, primary_key=True, related_name="detail"
    )
    draft_id = models.IntegerField()
    removed = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    proposed_wording = models.TextField(blank=True)
    provision_label = models.CharField(max_length=128, blank=True)
    fingerprint = models.CharField(max_length=24, blank=True)
    signature = models.CharField(max_length=128, blank=True)
    # One near-duplicate key per MinHash band (search.duplicates.NEAR_BANDS of them).
    near_key_0 = models.BigIntegerField(null=True, blank=True)
    near_key_1 = models.BigIntegerField(null=True, blank=True)
    near_key_2 = models.BigIntegerField(null=True, blank=True)
    near_key_3 = models.BigIntegerField(null=True, blank=True)
    stamp = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("search entry detail")
        verbose_name_plural = _("search entry details")
        indexes = [
            models.Index(fields=["draft_id", "fingerprint"], name="search_detail_fingerprint"),
        ]

    def __str__(self) -> str:
        return f"search entry detail {self.pk}"


class HiddenSinceIndexed(models.Model):
    """A comment (or every comment of a draft) the database no longer shows the public while
    the Elasticsearch index may still say it does: written in the transaction that hides it
    (moderation, deletion, unpublishing the draft), deleted once the index holds the change
    (search.visibility). Public Elasticsearch queries leave these ids and drafts out, so hits,
    counts and facets agree with the database even while the broker or the worker is down.

    No foreign keys: the comment or the draft may be deleted, which is one of the changes
    recorded.
    """

    feedback_id = models.IntegerField(null=True, blank=True, db_index=True)
    draft_id = models.IntegerField(null=True, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment hidden since it was indexed")
        verbose_name_plural = _("comments hidden since they were indexed")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(feedback_id__isnull=False) | models.Q(draft_id__isnull=False),
                name="hidden_since_indexed_names_something",
            )
        ]

    def __str__(self) -> str:
        return f"hidden since indexed: feedback {self.feedback_id}, draft {self.draft_id}"
