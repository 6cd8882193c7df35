"""When a draft that was valid when saved can no longer be published.

A draft is checked when it is saved (the editor's form), but it can go stale while it waits: DG
NEAR's draft takes the acronym ZZZ and is submitted for moderation, then DG ECHO publishes ZZZ.
Publishing NEAR's revision then fails Page.full_clean with a ValidationError. The edit view
validates its form first and says so there; three other ways of publishing a revision do not, and
Wagtail lets the error through as a server error:

- approving the last task of a workflow (the dashboard's "Approve", with or without a comment),
- the pages listing's bulk "Publish",
- `manage.py publish_scheduled`, which also stops there, leaving the pages after it unpublished.

Each is caught where it runs, around Wagtail's own code, which does the work unchanged: the approval
view (PartnershipPageViewSet.workflow_action_view_class) and the bulk action (a subclass registered
in its place) undo everything in their transaction and say why; publish_scheduled
(partnership/management/commands/publish_scheduled.py) publishes each due revision in a transaction
of its own, names the ones refused and exits non-zero.

Why not prevent the stale state instead (the form refusing an acronym that another page's
unpublished draft holds)? A draft abandoned months ago would block the acronym for everyone, a
scheduled revision older than the latest draft would go unchecked, and any other stale field (a
slug a sibling took since) would still end in a server error. Catching the ValidationError where
a revision is published covers them all: the model names the clash
(DirectorateGeneralPage.clean), these say what did not happen and what to do.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _


def why_not_published(title, error):
    """The message for a ValidationError raised while publishing the page (or snippet) called
    `title`: "'DG NEAR' was not published: ZZZ is already the acronym of 'DG ECHO'. ..." """
    return _("'%(title)s' was not published: %(reasons)s") % {"title": title, "reasons": " ".join(error.messages)}


class PublishingRefused(Exception):
    """A ValidationError raised while publishing `page` (the page is what the error lacks)."""

    def __init__(self, page, error):
        super().__init__(why_not_published(page.get_admin_display_title(), error))
        self.page = page
        self.error = error


def publish_due_revisions(revisions, log_action):
    """Publish each revision, in order, in a transaction of its own: one that fails validation is
    left exactly as it was (still scheduled) and the rest are published. Returns the refusals,
    as (revision, message) pairs."""
    refused = []
    for revision in revisions:
        try:
            with transaction.atomic():
                revision.publish(log_action=log_action)
        except ValidationError as error:
            refused.append((revision, why_not_published(revision.object_str, error)))
    return refused
