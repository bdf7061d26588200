"""The Content-Security-Policy nonce where no request is at hand.

django-csp gives each request a nonce (`request.csp_nonce`, added to the header only once it
is read). Form widgets, such as Wagtail's date pickers, are rendered without the request, yet
their inline <script> needs that nonce: this middleware keeps the current request in a context
variable, and `{% load csp_nonce %}{% csp_nonce %}` reads its nonce from there.
"""

from contextvars import ContextVar

from django.http import HttpRequest

_current_request: ContextVar[HttpRequest | None] = ContextVar("csp_request", default=None)


def current_nonce() -> str:
    """The nonce of the request being answered in this thread or task, "" outside a request."""
    request = _current_request.get()
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


class CurrentRequestNonceMiddleware:
    """Makes the request visible to `current_nonce()` while it is answered.

    Must come after django-csp's CSPMiddleware, which sets `request.csp_nonce`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def nonce_wagtail_choosers() -> None:
    """Give the start-up <script> of Wagtail's chooser widgets (page, document, image,
    snippet) the request's nonce.

    `wagtail.admin.widgets.chooser.BaseChooser.render()` writes that script in Python, not in
    a template an override could reach; wrapping it is the one place for every chooser.
    Idempotent.
    """
    from django.utils.safestring import mark_safe
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.render, "_adds_csp_nonce", False):
        return
    render = BaseChooser.render

    def render_with_nonce(self, name, value, attrs=None, renderer=None):
        html = str(render(self, name, value, attrs=attrs, renderer=renderer))
        head, script, tail = html.rpartition("<script>")
        if not script:
            return mark_safe(html)
        return mark_safe(f'{head}<script nonce="{current_nonce()}">{tail}')  # noqa: S308

    render_with_nonce._adds_csp_nonce = True
    BaseChooser.render = render_with_nonce
