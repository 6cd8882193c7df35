"""What each side of a review needs to see: the Editor, who asked for changes, when and what; the
Moderator, the difference between the version they last reviewed (or the live one) and the one now
submitted.

Wagtail's own "Compare with previous version" compares the last two revisions, and autosave (and
"Save draft") make a revision just before "Submit": after a request for changes the two are
equal, and the comparison says "There are no differences". The version reviewed is the one the
request for changes was made on: the revision of the workflow's last rejected task."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import Page, TaskState, WorkflowState


def last_request_for_changes(workflow_state):
    """The workflow's latest rejected task (who asked, when, the comment, the revision reviewed)."""
    if workflow_state is None:
        return None
    return (
        workflow_state.task_states.filter(status=TaskState.STATUS_REJECTED)
        .select_related("finished_by", "revision")
        .order_by("-finished_at", "-pk")
        .first()
    )


def pending_request_for_changes(page):
    """The request for changes an Editor still has to answer: until the page is submitted again."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    return last_request_for_changes(state)


def compare_url(page, revision_a, revision_b):
    """Wagtail's own revisions compare view between two revision ids (or "live")."""
    return reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, revision_a, revision_b])


def review_comparisons(page, task_state, user):
    """The comparisons a reviewer wants for `task_state` (the submission now waiting): with the
    version reviewed before, when changes were asked for, and with the live version. Each is
    (label, url)."""
    submitted = task_state.revision_id
    links = []
    reviewed = last_request_for_changes(task_state.workflow_state)
    if reviewed is not None and reviewed.revision_id != submitted:
        if reviewed.finished_by_id == user.pk:
            label = _("Compare with the version you reviewed")
        else:
            label = _("Compare with the version %(name)s reviewed") % {"name": display_name(reviewed.finished_by)}
        links.append((label, compare_url(page, reviewed.revision_id, submitted)))
    if page.live and page.live_revision_id and page.live_revision_id != submitted:
        links.append((_("Compare with the live version"), compare_url(page, "live", submitted)))
    return links


def display_name(user):
    if user is None:
        return _("someone no longer on the site")
    return user.get_full_name() or user.get_username()


def when(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def changes_requested_message(request_for_changes):
    """The banner at the top of the editor while the page waits for the Editor's changes."""
    comment = request_for_changes.comment.strip()
    text = _("Changes requested by %(name)s on %(when)s.") % {
        "name": display_name(request_for_changes.finished_by),
        "when": when(request_for_changes.finished_at),
    }
    if comment:
        return format_html(
            '{} <q class="partnership-review-comment">{}</q> {}',
            text,
            comment,
            _("Make the changes, then submit the page to moderation again."),
        )
    return format_html("{} {}", text, _("They left no comment. Make the changes, then submit the page again."))


def submitted_for_review_message(task_state):
    revision = task_state.revision
    return _("Submitted for your review by %(name)s on %(when)s.") % {
        "name": display_name(revision.user),
        "when": when(task_state.started_at),
    }


class AwaitingReviewPanel(WorkflowObjectsToModeratePanel):
    """The dashboard's "Awaiting your review", with the comparisons a reviewer needs (above) in each
    row's actions instead of Wagtail's "Compare with previous version"."""

    template_name = "staff/awaiting_review.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        for state in context["states"]:
            obj = state["obj"]
            state["comparisons"] = review_comparisons(obj, state["task_state"], user) if isinstance(obj, Page) else []
        return context
