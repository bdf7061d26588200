from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    EMAIL = "email", _("E-mail address confirmed")
    PROVIDER = "provider", _("National identity provider")


class Assurance(models.IntegerChoices):
    """What a consultation requires of the people commenting on it, and the level stored with
    an account verified by the provider (0 for an e-mail address only)."""

    NONE = 0, _("No identity verification")
    PROVIDER = 1, _("Identity verified by the national provider")
    LEVEL_2 = 2, _("Identity verified by the national provider at level 2")


class IdentityVerification(models.Model):
    """How one account was last verified. A provider sign-in replaces an e-mail confirmation
    and is refreshed at every provider sign-in (the level and name are the ones asserted then);
    an e-mail confirmation never replaces a provider verification; unlinking the provider
    (allauth's social_account_removed) drops it back to the e-mail address. One provider
    identity (provider, subject) verifies at most one account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="identity_verification",
    )
    method = models.CharField(_("verified by"), max_length=10, choices=Method.choices)
    provider = models.CharField(
        _("provider"), max_length=64, blank=True, help_text=_("The sign-in provider's id.")
    )
    subject = models.CharField(
        _("identifier at the provider"), max_length=255, blank=True,
        help_text=_("The person's identifier at the provider (the “sub” claim)."),
    )  # fmt: skip
    assurance = models.CharField(
        _("assurance asserted"), max_length=255, blank=True,
        help_text=_("The assurance value the provider asserted, as it sent it."),
    )  # fmt: skip
    name = models.CharField(
        _("name asserted"), max_length=150, blank=True,
        help_text=_("The person's name as the provider asserted it; the account's display name."),
    )  # fmt: skip
    level = models.PositiveSmallIntegerField(
        _("assurance level"), choices=Assurance.choices, default=Assurance.NONE
    )
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        verbose_name = _("identity verification")
        verbose_name_plural = _("identity verifications")
        constraints = [
            # One national identity verifies one account (the verification follows the
            # linked SocialAccount, which allauth keeps unique per provider and uid).
            models.UniqueConstraint(
                fields=["provider", "subject"],
                condition=models.Q(method="provider"),
                name="identity_one_account_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.method} ({self.level})"

    @property
    def by_provider(self) -> bool:
        return self.method == Method.PROVIDER
