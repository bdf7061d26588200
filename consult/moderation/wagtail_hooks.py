from wagtail import hooks

from consult.moderation.bulk_actions import BULK_ACTIONS
from consult.moderation.viewsets import moderation_viewset


@hooks.register("register_admin_viewset")
def register_moderation_viewset():
    return moderation_viewset


for _action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _action)
