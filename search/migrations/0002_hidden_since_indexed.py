from django.db import migrations, models

# The comments public search must leave out are few: partial indexes list them, so the
# database engine's anti-join (search.visibility.public_entries) reads only them. Their
# conditions are the negation of consult.counters.public_feedback_filter, one per table, in the
# form Django writes them. Both PostgreSQL and SQLite have partial indexes.
HIDDEN_COMMENTS_INDEX = (
    "CREATE INDEX search_hidden_comments ON django_comments (id) "
    'WHERE (NOT "is_public" OR "is_removed")'
)
UNCONFIRMED_FEEDBACK_INDEX = (
    "CREATE INDEX search_unconfirmed_feedback ON consult_feedback (xtdcomment_ptr_id) "
    'WHERE NOT "email_confirmed"'
)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_feedback_entry"),
        ("consult", "0001_initial"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="HiddenSinceIndexed",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("feedback_id", models.IntegerField(blank=True, db_index=True, null=True)),
                ("draft_id", models.IntegerField(blank=True, db_index=True, null=True)),
                ("created", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("feedback_id__isnull", False), ("draft_id__isnull", False), _connector="OR"), name="hidden_since_indexed_names_something")],
            },
        ),
        migrations.RunSQL(HIDDEN_COMMENTS_INDEX, "DROP INDEX IF EXISTS search_hidden_comments"),
        migrations.RunSQL(
            UNCONFIRMED_FEEDBACK_INDEX, "DROP INDEX IF EXISTS search_unconfirmed_feedback"
        ),
    ]
