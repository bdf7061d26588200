"""Wagtail's default workflow and its task, made by wagtailcore's migration 0048 from the
"Moderators" group, are named "Moderators approval": their names are data, shown as they are
("Thực hiện Moderators approval" on the editor's button). Name them in Vietnamese (issue 12).
A workflow or task renamed since by the site's staff is left alone."""

from django.db import migrations

WORKFLOW = ("Moderators approval", "Phê duyệt của người kiểm duyệt")
TASK = ("Moderators approval", "Người kiểm duyệt phê duyệt")


def _rename(apps, *, forward: bool):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for model, (english, vietnamese) in ((Workflow, WORKFLOW), (Task, TASK)):
        old, new = (english, vietnamese) if forward else (vietnamese, english)
        model.objects.filter(name=old).update(name=new)


def name_in_vietnamese(apps, schema_editor):
    _rename(apps, forward=True)


def name_in_english(apps, schema_editor):
    _rename(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0048_add_default_workflows")]

    operations = [migrations.RunPython(name_in_vietnamese, name_in_english)]
