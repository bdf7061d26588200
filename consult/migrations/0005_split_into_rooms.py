"""consult/ split into rooms: its models now belong to the apps consult.feedback,
consult.moderation, consult.answers, consult.reports and consult.accountability.

Nothing in the database moves: the models keep their tables (`db_table = "consult_…"`), so the
rows, the constraints, the indexes and the endorsement trigger (0003) stay as they are. The
models leave this app's state here and enter the rooms' in their 0001 migrations. The content
types are renamed to the rooms' labels, so every permission given to a group (moderating is
`feedback.moderate_feedback` now), admin log entry and other generic link keeps pointing at the
same rows.
"""

from django.db import migrations

ROOMS = {
    "feedback": "feedback",
    "moderationaction": "moderation",
    "response": "answers",
    "responserevision": "answers",
    "satisfaction": "answers",
    "synthesisreport": "reports",
    "reportexport": "reports",
    "draftfigures": "accountability",
}


def content_types_to_rooms(apps, schema_editor):
    """Relabel consult's content types; where a room's already exists (made by a run of
    post_migrate in between), the old row is kept and left alone rather than merged."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, room in ROOMS.items():
        if ContentType.objects.using(db).filter(app_label=room, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label="consult", model=model).update(
            app_label=room
        )


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, room in ROOMS.items():
        if ContentType.objects.using(db).filter(app_label="consult", model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=room, model=model).update(
            app_label="consult"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consult", "0004_report_export_heartbeat"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("feedback", "0001_initial"),
        ("moderation", "0001_initial"),
        ("answers", "0002_initial"),
        ("reports", "0001_initial"),
        ("accountability", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="feedback",
                    name="draft",
                ),
                migrations.RemoveField(
                    model_name="feedback",
                    name="provision",
                ),
                migrations.RemoveField(
                    model_name="feedback",
                    name="response",
                ),
                migrations.RemoveField(
                    model_name="feedback",
                    name="xtdcomment_ptr",
                ),
                migrations.RemoveField(
                    model_name="satisfaction",
                    name="feedback",
                ),
                migrations.RemoveField(
                    model_name="moderationaction",
                    name="feedback",
                ),
                migrations.RemoveField(
                    model_name="moderationaction",
                    name="actor",
                ),
                migrations.RemoveField(
                    model_name="reportexport",
                    name="draft",
                ),
                migrations.RemoveField(
                    model_name="reportexport",
                    name="requested_by",
                ),
                migrations.RemoveField(
                    model_name="response",
                    name="agency",
                ),
                migrations.RemoveField(
                    model_name="response",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="response",
                    name="draft",
                ),
                migrations.RemoveField(
                    model_name="response",
                    name="provision",
                ),
                migrations.RemoveField(
                    model_name="response",
                    name="published_by",
                ),
                migrations.RemoveField(
                    model_name="response",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="satisfaction",
                    name="response",
                ),
                migrations.RemoveField(
                    model_name="responserevision",
                    name="response",
                ),
                migrations.RemoveField(
                    model_name="responserevision",
                    name="replaced_by",
                ),
                migrations.RemoveField(
                    model_name="synthesisreport",
                    name="draft",
                ),
                migrations.RemoveField(
                    model_name="synthesisreport",
                    name="published_by",
                ),
                migrations.DeleteModel(
                    name="DraftFigures",
                ),
                migrations.DeleteModel(
                    name="Feedback",
                ),
                migrations.DeleteModel(
                    name="ModerationAction",
                ),
                migrations.DeleteModel(
                    name="ReportExport",
                ),
                migrations.DeleteModel(
                    name="Satisfaction",
                ),
                migrations.DeleteModel(
                    name="Response",
                ),
                migrations.DeleteModel(
                    name="ResponseRevision",
                ),
                migrations.DeleteModel(
                    name="SynthesisReport",
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_rooms, content_types_back),
    ]
