from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from consult.answers import services as responses
from consult.answers.forms import SatisfactionForm
from consult.feedback.counters import public_feedback_filter
from consult.feedback.models import Feedback
from consult.feedback.views import back_to_thread, comment_action


def satisfaction(request, token: str):
    """The author of a comment says whether its answer satisfied them, from the e-mailed link."""
    try:
        feedback = responses.feedback_from_satisfaction_token(token)
    except ValidationError as exc:
        return TemplateResponse(
            request, "answers/satisfaction.html", {"refusal": exc.messages[0]}, status=400
        )
    form = SatisfactionForm(request.POST or None)
    refusal = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            responses.satisfaction_record(
                feedback=feedback,
                satisfied=form.cleaned_data["satisfied"] == "yes",
                note=form.cleaned_data["note"],
                token=token,
            )
        except ValidationError as exc:
            refusal, status = exc.messages[0], 409
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect("answers:satisfaction", token=token)
    elif request.method == "POST":
        status = 400
    return TemplateResponse(
        request,
        "answers/satisfaction.html",
        {
            "feedback": feedback,
            "response": feedback.response if feedback.response_id else None,
            "rated": getattr(feedback, "satisfaction", None) if not refusal else None,
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


@comment_action
@login_required
def rate_answer(request, pk: int):
    """The signed-in author of a comment says whether its published answer satisfied them,
    from the comment's conversation or their "my feedback" page, and goes back there."""
    feedback = get_object_or_404(
        Feedback.objects.filter(public_feedback_filter()).select_related("draft", "provision"),
        pk=pk,
    )
    form = SatisfactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the answer satisfied you."))
    else:
        try:
            responses.satisfaction_record(
                feedback=feedback,
                user=request.user,
                satisfied=form.cleaned_data["satisfied"] == "yes",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back)
    return back_to_thread(feedback)
