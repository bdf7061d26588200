"""Accounts whose e-mail address was confirmed before identity verifications were recorded
(issue 13) get their record: verified by e-mail, at the time of this migration (allauth keeps
no date of confirmation). Without it the admin said their address was never confirmed."""

from django.db import migrations
from django.utils import timezone


def record_confirmed_addresses(apps, schema_editor):
    Verification = apps.get_model("identity", "IdentityVerification")
    EmailAddress = apps.get_model("account", "EmailAddress")
    recorded = Verification.objects.values("user_id")
    users = (
        EmailAddress.objects.filter(verified=True)
        .exclude(user_id__in=recorded)
        .values_list("user_id", flat=True)
        .distinct()
    )
    now = timezone.now()
    Verification.objects.bulk_create(
        [Verification(user_id=user_id, method="email", level=0, verified_at=now) for user_id in users],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_one_account_per_identity"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(record_confirmed_addresses, migrations.RunPython.noop)]
