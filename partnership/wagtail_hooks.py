"""Wagtail hooks: what the audit log records about users, and how the admin explains what a role
may not do."""

from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.log_actions import LogFormatter, log
from wagtail.models import WorkflowState

from . import admin_views, moderation
from .logins import wagtail_hooks as logins_hooks  # noqa: F401 (its hooks register on import)
from .models import DirectorateGeneralPage

USER_DEACTIVATED = "partnership.user.deactivate"
USER_REACTIVATED = "partnership.user.reactivate"
USER_GROUPS_CHANGED = "partnership.user.groups"
USER_MADE_ADMINISTRATOR = "partnership.user.superuser_granted"
USER_NO_LONGER_ADMINISTRATOR = "partnership.user.superuser_revoked"


class GroupsChangedFormatter(LogFormatter):
    """The history says which roles, from the data stored with the entry: before → after."""

    label = _("Change user's groups")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if "before" not in data:
            return _("Changed the account's groups")

        def names(groups):
            return ", ".join(groups) or _("no group")

        return _("Changed the account's groups: %(before)s → %(after)s") % {
            "before": names(data["before"]),
            "after": names(data.get("after", [])),
        }


@hooks.register("register_log_actions")
def register_user_log_actions(actions):
    actions.register_action(USER_DEACTIVATED, _("Deactivate user"), _("Deactivated the account"))
    actions.register_action(USER_REACTIVATED, _("Reactivate user"), _("Reactivated the account"))
    actions.register_action(USER_GROUPS_CHANGED)(GroupsChangedFormatter)
    actions.register_action(USER_MADE_ADMINISTRATOR, _("Make an Administrator"), _("Made an Administrator"))
    actions.register_action(USER_NO_LONGER_ADMINISTRATOR, _("Remove an Administrator"), _("No longer an Administrator"))


def _state(user):
    return user.is_active, user.is_superuser, sorted(user.groups.values_list("name", flat=True))


@hooks.register("before_edit_user")
def remember_user_state(request, user):
    request.partnership_user_state_before_edit = _state(user)


@hooks.register("after_edit_user")
def log_user_changes(request, user):
    """Wagtail logs an edit; a deactivation, a change of role or of Administrator rights deserves its
    own entry, so the history says plainly who took someone's access away or gave them more, and
    when."""
    before = getattr(request, "partnership_user_state_before_edit", None)
    if before is None:
        return
    was_active, was_superuser, old_groups = before
    is_active, is_superuser, new_groups = _state(user)
    if was_active and not is_active:
        log(instance=user, action=USER_DEACTIVATED, user=request.user)
    elif is_active and not was_active:
        log(instance=user, action=USER_REACTIVATED, user=request.user)
    if is_superuser and not was_superuser:
        log(instance=user, action=USER_MADE_ADMINISTRATOR, user=request.user)
    elif was_superuser and not is_superuser:
        log(instance=user, action=USER_NO_LONGER_ADMINISTRATOR, user=request.user)
    if old_groups != new_groups:
        log(
            instance=user,
            action=USER_GROUPS_CHANGED,
            user=request.user,
            data={"before": old_groups, "after": new_groups},
        )


@hooks.register("after_create_user")
def log_a_new_administrator(request, user):
    if user.is_superuser:
        log(instance=user, action=USER_MADE_ADMINISTRATOR, user=request.user)


# Before Wagtail's own image and document URLs (its hooks have order 0), so these views answer the
# same addresses; see partnership.admin_views for why.
@hooks.register("register_admin_urls", order=-1)
def explain_live_media_refusals():
    return [
        path("images/<int:image_id>/", admin_views.ImageEditView.as_view(), name="partnership_image_edit"),
        path("images/<int:image_id>/delete/", admin_views.ImageDeleteView.as_view(), name="partnership_image_delete"),
        path("images/usage/<int:image_id>/", admin_views.ImageUsageView.as_view(), name="partnership_image_usage"),
        path("documents/edit/<int:document_id>/", admin_views.DocumentEditView.as_view(), name="partnership_doc_edit"),
        path(
            "documents/delete/<int:document_id>/",
            admin_views.DocumentDeleteView.as_view(),
            name="partnership_doc_delete",
        ),
        path(
            "documents/usage/<int:document_id>/",
            admin_views.DocumentUsageView.as_view(),
            name="partnership_doc_usage",
        ),
    ]


@hooks.register("register_admin_viewset")
def name_what_the_page_search_counts():
    return admin_views.PartnershipPageViewSet()


# The bulk "Publish", refusing a stale draft with a message. After Wagtail's own bulk actions (their
# hooks have order 0): the last one registered for an action type is the one the listing uses.
hooks.register("register_bulk_action", admin_views.StaleDraftPublishBulkAction, order=1)


@hooks.register("before_copy_page")
def refuse_to_copy_directorates_general(request, page):
    """A copy or an alias of a DG page would share its acronym in the same language, where each DG
    needs its own (DirectorateGeneralPage.clean refuses to publish it, and Wagtail's copy view does
    not let anyone change it first). Say so instead. Translating a DG into another locale, where it keeps
    its acronym, does not go through Wagtail's copy view and this hook."""
    if DirectorateGeneralPage.objects.descendant_of(page, inclusive=True).exists():
        messages.error(
            request,
            _(
                "A Directorate-General page cannot be copied or aliased: each one has an acronym of its "
                "own. To add a Directorate-General, add a new page under Directorates-General."
            ),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("construct_homepage_panels")
def compare_with_the_version_reviewed(request, panels):
    """The dashboard's "Awaiting your review" links to the comparison with the version reviewed
    before (partnership/moderation.py); Wagtail's panel is replaced by our subclass of it."""
    panels[:] = [
        moderation.AwaitingReviewPanel() if type(panel) is WorkflowObjectsToModeratePanel else panel for panel in panels
    ]


@hooks.register("before_edit_page")
def show_the_review_at_the_top_of_the_editor(request, page):
    """A message at the top of the editor, every time it opens, while it matters: to the Editor, who
    asked for changes, when and what, until the page is submitted again (Wagtail shows it only in the
    status panel's history dialog, and names the submitter there); to a Moderator who can review
    the page, the comparisons with the version reviewed and the live one.

    Only for a GET: the editor's autosave and its actions are POSTs, and a message added then would
    wait for the next page instead."""
    if request.method != "GET":
        return None
    request_for_changes = moderation.pending_request_for_changes(page)
    if request_for_changes is not None:
        messages.warning(request, moderation.changes_requested_message(request_for_changes))
        return None
    state = page.current_workflow_state
    task_state = state.current_task_state if state and state.status == WorkflowState.STATUS_IN_PROGRESS else None
    if task_state is not None and task_state.task.specific.get_actions(page, request.user):
        links = moderation.review_comparisons(page, task_state, request.user)
        messages.info(
            request,
            moderation.submitted_for_review_message(task_state),
            buttons=[messages.button(url, label) for label, url in links],
        )
    return None
