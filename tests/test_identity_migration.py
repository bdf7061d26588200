"""Accounts confirmed before identity verifications were recorded get their record when the
release that records them is migrated in (econsult/identity/migrations/0003)."""

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from econsult.identity.models import IdentityVerification
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("identity", "0002_one_account_per_identity")]
AFTER = [("identity", "0003_accounts_confirmed_before")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_an_address_confirmed_before_the_release_is_recorded_as_verified_by_email():
    migrate(BEFORE)
    confirmed = factories.UserFactory(username="lan")
    EmailAddress.objects.create(user=confirmed, email="lan@example.vn", verified=True)
    unconfirmed = factories.UserFactory(username="minh")
    EmailAddress.objects.create(user=unconfirmed, email="minh@example.vn", verified=False)
    IdentityVerification.objects.filter(user__in=[confirmed, unconfirmed]).delete()

    migrate(AFTER)

    records = {v.user_id: v for v in IdentityVerification.objects.all()}
    assert records[confirmed.pk].method == "email"
    assert records[confirmed.pk].level == 0
    assert unconfirmed.pk not in records
