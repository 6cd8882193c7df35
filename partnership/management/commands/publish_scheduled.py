"""Wagtail's publish_scheduled, going on past a page it cannot publish.

Wagtail's command publishes the due revisions in a loop with no transaction: a revision that fails
validation (partnership/publishing.py: a draft gone stale while scheduled) stops the run with a
traceback, after clearing that page's schedule, and leaves every page after it unpublished until the
next run. This command is found before Wagtail's (partnership comes first in INSTALLED_APPS). It
unpublishes what has expired as Wagtail does, then publishes each due revision in a transaction of
its own: a refused page is named on stderr and stays scheduled, the others are published, and the
command exits non-zero. A dry run is Wagtail's own. Wagtail has no hook into the command's loop;
upstream, wagtail/wagtail#13879 (closed, unmerged) proposed making the publish itself atomic, so a
failed one keeps its schedule.
"""

from django.apps import apps
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.management.commands import publish_scheduled
from wagtail.models import DraftStateMixin, Page, Revision

from partnership.publishing import publish_due_revisions


class Command(publish_scheduled.Command):
    help = "Unpublish what has expired and publish what is due; name any page that cannot be published."

    def handle(self, *args, **options):
        if options["dryrun"]:
            return super().handle(*args, **options)

        now = timezone.now()
        models = [Page] + [
            model for model in apps.get_models() if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
        ]
        for model in models:
            for obj in list(model.objects.filter(live=True, expire_at__lt=now).order_by("expire_at")):
                obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")

        due = Revision.objects.filter(approved_go_live_at__lt=now).order_by("approved_go_live_at")
        refused = publish_due_revisions(list(due), log_action="wagtail.publish.scheduled")
        for revision, message in refused:
            self.stderr.write(
                "{} {}".format(
                    message,
                    f"(revision {revision.pk} of {revision.content_type.model_class().__name__} {revision.object_id}, "
                    f"due {revision.approved_go_live_at:%Y-%m-%d %H:%M}; it stays scheduled.)",
                )
            )
        if refused:
            raise CommandError(
                f"{len(refused)} scheduled page{'s were' if len(refused) > 1 else ' was'} not published (see above)."
            )
