"""Wagtail's image and document views, saying why an Editor may not change or delete one that live
pages show (partnership.media_permissions) instead of Wagtail's "Sorry, you do not have permission
to access this area.". The rule itself lives in the permission policy, which every view and bulk
action asks; these views only explain it.

Wagtail has no hook before editing or deleting an image or document (pages have before_edit_page
and before_delete_page; images and documents have none), so wagtail_hooks.py routes these URLs
here, ahead of Wagtail's own, with the `order` of the register_admin_urls hook.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents.views import documents
from wagtail.images.models import AbstractImage
from wagtail.images.views import images
from wagtail.models import Page

from .publishing import PublishingRefused, why_not_published


def live_use_message(instance, pages):
    # One sentence per kind rather than the kind's name in one sentence: "image" and "document"
    # differ in gender in French and Spanish, and so does the rest of the sentence.
    titles = ", ".join(str(page.get_admin_display_title()) for page in pages)
    if isinstance(instance, AbstractImage):
        message = _(
            "This image is shown on live pages (%(titles)s); only a Moderator can change or delete it. "
            "Ask a Moderator, or upload a new image and use it in a draft."
        )
    else:
        message = _(
            "This document is shown on live pages (%(titles)s); only a Moderator can change or delete it. "
            "Ask a Moderator, or upload a new document and use it in a draft."
        )
    return message % {"titles": titles}


class LiveUseEditMixin:
    """The edit form of an image or document live pages show, read-only, with the reason."""

    barring_pages = ()

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except PermissionDenied:
            instance = get_object_or_404(self.model, pk=self.kwargs[self.pk_url_kwarg])
            self.barring_pages = self.permission_policy.live_use_refusal(self.request.user, instance)
            if not self.barring_pages:
                raise
            return instance

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.barring_pages:
            for field in form.fields.values():
                field.disabled = True
        return form

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.barring_pages:  # nothing is saved: show the stored values and the reason
            return self.render_to_response(self.get_context_data(form=self.get_form()))
        return super().post(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        if self.barring_pages:
            messages.error(self.request, live_use_message(self.object, self.barring_pages))
        return super().render_to_response(context, **response_kwargs)


class LiveUseDeleteMixin:
    """Deleting an image or document live pages show: back to its edit view, with the reason."""

    def dispatch(self, request, *args, **kwargs):
        pages = self.permission_policy.live_use_refusal(request.user, self.object)
        if pages:
            messages.error(request, live_use_message(self.object, pages))
            return redirect(self.edit_url_name, self.object.pk)
        return super().dispatch(request, *args, **kwargs)


class LiveUseUsageMixin:
    """Where an image or document is used is worth seeing even by those who may not change it."""

    def user_has_permission(self, permission):
        return super().user_has_permission(permission) or bool(
            self.permission_policy.live_use_refusal(self.request.user, self.object)
        )


class ImageEditView(LiveUseEditMixin, images.EditView):
    pass


class ImageDeleteView(LiveUseDeleteMixin, images.DeleteView):
    edit_url_name = "wagtailimages:edit"


class ImageUsageView(LiveUseUsageMixin, images.UsageView):
    pass


class DocumentEditView(LiveUseEditMixin, documents.EditView):
    pass


class DocumentDeleteView(LiveUseDeleteMixin, documents.DeleteView):
    edit_url_name = "wagtaildocs:edit"


class DocumentUsageView(LiveUseUsageMixin, documents.UsageView):
    pass


EDITED = "wagtail.edit"


class SiteHistoryView(LogEntriesView):
    """Reports → Site history without autosave's repeats.

    Autosave (WAGTAIL_AUTOSAVE_INTERVAL) overwrites one revision per editing session and logs
    "wagtail.edit" each time it does, all with the uuid of the session's first save: a page's own
    History shows the latest of them only (LogEntryQuerySet.latest_by_uuid_and_action), the site
    history showed every one. This keeps, for each object, the latest "edit" entry of each uuid, as
    the page's History does. Only "edit": one bulk action logs many objects, or several actions,
    under one uuid, and each of those stays. iomeu/urls.py routes Wagtail's site history addresses
    here: the report has no hook to filter its entries, and its URLs come before the
    register_admin_urls hook's."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        model = queryset.model
        same_object = (
            {"page": OuterRef("page")}
            if any(field.name == "page" for field in model._meta.get_fields())
            else {"content_type": OuterRef("content_type"), "object_id": OuterRef("object_id")}
        )
        latest_of_its_uuid = (
            model.objects.filter(uuid=OuterRef("uuid"), action=EDITED, **same_object)
            .order_by("-timestamp", "-id")
            .values("id")[:1]
        )
        return queryset.filter(Q(uuid__isnull=True) | ~Q(action=EDITED) | Q(id=Subquery(latest_of_its_uuid)))


class PageSearchView(SearchView):
    """The admin's page search (the sidebar's Search) says what it counts: "1-2 of 2 pages", not
    "1-2 of 2 None". The title column's header reads verbose_name and verbose_name_plural from the
    view; Wagtail's generic IndexView takes them from its model, but its page search is a
    BaseListingView, which leaves them None."""

    verbose_name = Page._meta.verbose_name
    verbose_name_plural = Page._meta.verbose_name_plural


class StaleDraftWorkflowActionView(WorkflowActionView):
    """Approving a draft that can no longer be published (partnership/publishing.py): Wagtail's
    Task.on_action runs in a transaction, so the approval is undone with it; say why, and go back
    where the Moderator was (the dashboard, or the page under the approval's dialog). The page is
    still awaiting moderation."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError as error:
            messages.error(
                request,
                "{} {}".format(
                    why_not_published(self.object.get_admin_display_title(), error),
                    _(
                        "It is still awaiting moderation: request changes so its editor can put this "
                        "right, then approve it."
                    ),
                ),
            )
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(request, {"step": "success", "redirect": self.redirect_url})
            return redirect(self.redirect_url)


class StaleDraftPublishBulkAction(PublishBulkAction):
    """The pages listing's bulk "Publish", refusing a draft that can no longer be published
    (partnership/publishing.py) with a message instead of a server error. Wagtail runs the action
    in one transaction: when one page is refused, none is published, and the message says so.
    wagtail_hooks.py registers it after Wagtail's own, under the same action type, which replaces it.
    Upstream: wagtail/wagtail#14253 (bulk publish lets a draft's ValidationError through as a 500)."""

    @classmethod
    def execute_action(cls, objects, include_descendants=False, user=None, **kwargs):
        """Wagtail's, a page at a time, so that a refusal can name its page."""
        parents, children = 0, 0
        for page in objects:
            try:
                counts = super().execute_action([page], include_descendants=include_descendants, user=user, **kwargs)
            except ValidationError as error:
                raise PublishingRefused(page, error) from error
            parents, children = parents + counts[0], children + counts[1]
        return parents, children

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except PublishingRefused as refusal:
            messages.error(self.request, "{} {}".format(refusal, _("None of the selected pages was published.")))
            return redirect(self.next_url)


class PartnershipPageViewSet(PageViewSet):
    """Wagtail's viewset for pages, with PageSearchView and StaleDraftWorkflowActionView:
    wagtail_hooks.py registers it after Wagtail's own (its hook has order -1), so it is the one
    every page type without a viewset of its own uses, and the only one the search asks. Every
    other view is Wagtail's, unchanged."""

    search_view_class = PageSearchView
    workflow_action_view_class = StaleDraftWorkflowActionView
