from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static

from econsult.admin_menu import ConsultationMenu


@hooks.register("register_admin_viewset")
def register_consultation_menu():
    return ConsultationMenu()


@hooks.register("insert_global_admin_css")
def narrow_screen_css():
    """The project's admin screens on a phone (static/css/admin-narrow.css)."""
    return format_html(
        '<link rel="stylesheet" href="{}">', versioned_static("css/admin-narrow.css")
    )
