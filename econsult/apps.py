from django.apps import AppConfig


class EconsultConfig(AppConfig):
    """The project's own app: template overrides and tags for the Content-Security-Policy, the
    log-in lock-out page and the error pages."""

    name = "econsult"
    verbose_name = "eConsultation"

    def ready(self):
        from econsult.csp import nonce_wagtail_choosers

        nonce_wagtail_choosers()
