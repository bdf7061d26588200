from wagtail import hooks

from econsult.admin_menu import ConsultationMenu


@hooks.register("register_admin_viewset")
def register_consultation_menu():
    return ConsultationMenu()
