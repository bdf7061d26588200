"""Agency codes keep their Vietnamese letters (issue 12): the check constraint allows Đ and
the letters with a breve, circumflex or horn, and codes stored ASCII-folded ("LDTBXH") get
their Đ back where the agency's name has it ("Bộ Lao động - Thương binh và Xã hội" → LĐTBXH).
"""

import django.core.validators
from django.conf import settings
from django.db import migrations, models


def _initials(name: str) -> list[str]:
    """The upper-cased first letter of each word of `name`."""
    words = "".join(c if c.isalnum() else " " for c in name).split()
    return [word[0].upper() for word in words]


def restored_code(code: str, name: str) -> str:
    """`code` with each D that stands for a word of `name` starting with Đ written Đ.

    The code's letters are matched in order against the initials of the name's words (a
    code may leave words out: "Bộ", "và"); when they do not all match, the code is kept."""
    initials = _initials(name)
    out, i = [], 0
    for letter in code:
        while i < len(initials) and initials[i] not in (letter, "Đ" if letter == "D" else letter):
            i += 1
        if i == len(initials):
            return code
        out.append(initials[i] if letter == "D" else letter)
        i += 1
    return "".join(out)


def restore_letters(apps, schema_editor):
    Agency = apps.get_model("drafts", "Agency")
    taken = set(Agency.objects.values_list("code", flat=True))
    for agency in Agency.objects.filter(code__contains="D"):
        code = restored_code(agency.code, agency.name)
        if code != agency.code and code not in taken:
            taken.add(code)
            Agency.objects.filter(pk=agency.pk).update(code=code)


def fold_letters(apps, schema_editor):
    """Back to the ASCII-only constraint: Đ is written D again (the other letters cannot be
    folded back to a code the old rule accepts without losing them: they are refused)."""
    Agency = apps.get_model("drafts", "Agency")
    for agency in Agency.objects.filter(code__contains="Đ"):
        Agency.objects.filter(pk=agency.pk).update(code=agency.code.replace("Đ", "D"))


class Migration(migrations.Migration):

    dependencies = [
        ('drafts', '0005_alternatives'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='agency',
            name='agency_code_upper_ascii',
        ),
        migrations.AlterField(
            model_name='agency',
            name='code',
            field=models.CharField(help_text='Upper-case letters, Vietnamese ones included, and digits, e.g. BTP, LĐTBXH.', max_length=32, unique=True, validators=[django.core.validators.RegexValidator('^[A-Z0-9ĐĂÂÊÔƠƯ][A-Z0-9ĐĂÂÊÔƠƯ_-]*$', 'Use upper-case letters (Đ included) and digits, e.g. LĐTBXH.')], verbose_name='short code'),
        ),
        migrations.RunPython(restore_letters, fold_letters),
        migrations.AddConstraint(
            model_name='agency',
            constraint=models.CheckConstraint(condition=models.Q(('code__regex', '^[A-Z0-9ĐĂÂÊÔƠƯ][A-Z0-9ĐĂÂÊÔƠƯ_-]*$')), name='agency_code_upper_letters'),
        ),
    ]
