"""The parts of official opinions given before this change showed the clerk's own name: show
them under the agency's name (Feedback.public_name of an unnamed state agency's comment)."""

from django.db import migrations


def agency_speaks(apps, schema_editor):
    OpinionItem = apps.get_model("opinions", "OpinionItem")
    Feedback = apps.get_model("feedback", "Feedback")
    for item in OpinionItem.objects.select_related("submission__invitation__agency"):
        Feedback.objects.filter(pk=item.feedback_id).update(
            show_name=False, user_name=item.submission.invitation.agency.name[:50]
        )


class Migration(migrations.Migration):
    dependencies = [("opinions", "0001_initial")]

    operations = [migrations.RunPython(agency_speaks, migrations.RunPython.noop)]
