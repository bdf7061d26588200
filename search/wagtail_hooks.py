from wagtail import hooks

from search.viewsets import feedback_search_viewset


@hooks.register("register_admin_viewset")
def register_feedback_search_viewset():
    return feedback_search_viewset
