"""Fold the stored titles again: econsult.text.fold now reads the look-alikes Ð/ð as Đ/đ
(d), so a title written with them is found by "dien anh" as by "Điện ảnh"."""

from django.db import migrations


def refold(apps, schema_editor):
    from econsult.text import fold_words

    DraftPage = apps.get_model("drafts", "DraftPage")
    for page in DraftPage.objects.only("pk", "title", "number", "title_folded").iterator():
        folded = fold_words(f"{page.title} {page.number}")[:512]
        if folded != page.title_folded:
            DraftPage.objects.filter(pk=page.pk).update(title_folded=folded)


class Migration(migrations.Migration):
    dependencies = [("drafts", "0002_consultation_feedback_settings_and_counters")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
