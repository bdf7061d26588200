"""PostgreSQL keeps each comment's endorsement count equal to its endorsement rows.

Endorsements are django_comments flag rows ("I liked it"), unique per (person, comment, flag).
A trigger on that table recounts the comment's endorsements after any insert, delete or update
of such a row, whoever writes it: the product's service, a cascade when an account is deleted,
a fixture or a shell. It first locks the comment's row, so the recount (a new snapshot in READ
COMMITTED) sees every endorsement committed before it. Existing counts are recounted once.

Not on SQLite (the embedded default): a trigger there that names consult_feedback makes every
later migration that rebuilds that table fail; there the service's locked recount and the
post_delete handler in consult/signals.py keep the count.
"""

from django.db import migrations

FLAG = "I liked it"  # consult.feedback.models.ENDORSEMENT_FLAG, frozen here

RECOUNT_ALL = f"""
UPDATE consult_feedback SET endorsement_count = (
    SELECT COUNT(*) FROM django_comment_flags
    WHERE django_comment_flags.comment_id = consult_feedback.xtdcomment_ptr_id
      AND django_comment_flags.flag = '{FLAG}'
)
"""

POSTGRES_CREATE = [
    f"""
CREATE OR REPLACE FUNCTION consult_endorsement_recount(comment integer) RETURNS void AS $$
BEGIN
    PERFORM 1 FROM consult_feedback WHERE xtdcomment_ptr_id = comment FOR UPDATE;
    UPDATE consult_feedback SET endorsement_count = (
        SELECT COUNT(*) FROM django_comment_flags
        WHERE comment_id = comment AND flag = '{FLAG}'
    ) WHERE xtdcomment_ptr_id = comment;
END;
$$ LANGUAGE plpgsql VOLATILE
""",
    f"""
CREATE OR REPLACE FUNCTION consult_endorsement_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.flag = '{FLAG}' THEN
        PERFORM consult_endorsement_recount(OLD.comment_id);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.flag = '{FLAG}' THEN
        PERFORM consult_endorsement_recount(NEW.comment_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER consult_endorsement_changed
AFTER INSERT OR UPDATE OR DELETE ON django_comment_flags
FOR EACH ROW EXECUTE FUNCTION consult_endorsement_changed()
""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS consult_endorsement_changed ON django_comment_flags",
    "DROP FUNCTION IF EXISTS consult_endorsement_changed()",
    "DROP FUNCTION IF EXISTS consult_endorsement_recount(integer)",
]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, [*POSTGRES_DROP, *POSTGRES_CREATE])
    _run(schema_editor, [RECOUNT_ALL])


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("consult", "0002_responses"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
