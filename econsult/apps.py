from django.apps import AppConfig


class EconsultConfig(AppConfig):
    """The project's own app: template overrides and tags for the Content-Security-Policy, the
    log-in lock-out page and the error pages; the
    names people type on their accounts are cleaned before saving."""

    name = "econsult"
    verbose_name = "eConsultation"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save
        from django.urls import register_converter

        from econsult.accounts import clean_user_names
        from econsult.converters import DatabaseIdConverter
        from econsult.csp import nonce_wagtail_choosers

        # Before any URLconf is read: every id in the project's URLs is `<id:…>`.
        register_converter(DatabaseIdConverter, "id")

        nonce_wagtail_choosers()
        pre_save.connect(
            clean_user_names, sender=get_user_model(), dispatch_uid="consult_clean_user_names"
        )
