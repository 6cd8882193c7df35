"""Who may change or delete an image or document: nobody changes the live site without a Moderator.

An image or document a live page shows is part of that page: a new description (its alt text), a
new file or a deletion reaches visitors at once, without moderation. So changing or deleting it
takes the right to publish every live page that shows it (Moderators and Administrators have it,
Editors do not). Anything no live page shows stays as Wagtail has it: Editors upload, and change
or delete what is not on the live site.

"Shown on the live site" is read from Wagtail's reference index, which records the references in
each page's row: for a live page that is its published content (a draft of a live page lives in a
revision, which the index does not read), for a page never published it is a draft nobody sees. So
an image counts as used when a live page's published content refers to it. One used only by a
draft is the draft's author's to change: the draft goes through moderation before anyone sees it.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.documents import get_document_model, get_document_model_string
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy

# What reaches visitors: "change" covers a new file, title or description, a new collection and
# tags (bulk actions check "change" too); Wagtail's own policy treats "delete" like "change".
LIVE_GUARDED_ACTIONS = {"change", "delete"}


def live_pages_using(instance):
    """The live pages whose published content shows `instance`, in tree order."""
    references = ReferenceIndex.get_references_to(instance).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    page_ids = {int(object_id) for object_id in references.values_list("object_id", flat=True)}
    return list(Page.objects.live().filter(pk__in=page_ids).order_by("path")) if page_ids else []


class LiveMediaPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's policy for images and documents, plus: changing or deleting one that live pages
    show takes the right to publish each of those pages."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        actions = set(actions)
        unguarded = actions - LIVE_GUARDED_ACTIONS
        if unguarded and super().user_has_any_permission_for_instance(user, unguarded, instance):
            return True
        guarded = actions & LIVE_GUARDED_ACTIONS
        if not guarded or not super().user_has_any_permission_for_instance(user, guarded, instance):
            return False
        return not self.live_pages_barring(user, instance)

    def live_pages_barring(self, user, instance):
        """The live pages showing `instance` that `user` may not publish: while there are any, the
        user may not change or delete it."""
        if user.is_active and user.is_superuser:
            return []
        return [page for page in live_pages_using(instance) if not page.permissions_for_user(user).can_publish()]

    def live_use_refusal(self, user, instance):
        """The pages to name when the only reason `user` may not change `instance` is that live pages
        show it (empty when they may change it, or may not for some other reason)."""
        if not super().user_has_any_permission_for_instance(user, ["change"], instance):
            return []
        return self.live_pages_barring(user, instance)


def register_media_permission_policies():
    """Replace Wagtail's policies for the image and document models. Registered for the exact
    classes, which Wagtail looks up before the ones its own apps register for any subclass, so the
    order in which apps become ready does not matter."""
    register_permission_policy(
        get_image_model(),
        LiveMediaPermissionPolicy(
            get_image_model(), auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
    register_permission_policy(
        get_document_model(),
        LiveMediaPermissionPolicy(
            get_document_model_string(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
        ),
        exact_class=True,
    )
