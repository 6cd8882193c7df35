from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnership.content.errors import ContentError
from partnership.content.loader import load
from partnership.renditions import make_renditions


class Command(BaseCommand):
    help = (
        "Build or update the site's pages from the content fixtures. Pages edited in the admin "
        "since they were loaded are skipped unless forced. Runs in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", default=str(settings.FIXTURES_DIR), help="The fixtures folder (default: %(default)s)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would change, and write nothing.")
        parser.add_argument(
            "--force",
            action="append",
            default=[],
            metavar="SLUG_PATH",
            help="Replace this page even if it was edited in the admin, "
            "e.g. --force thematic-areas/protection. Repeatable.",
        )
        parser.add_argument("--force-all", action="store_true", help="Replace every page edited in the admin.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse rich text that the editor's whitelist would change, instead of loading it cleaned "
            "with a warning (for CI over fixtures/).",
        )

    def handle(self, *args, **options):
        try:
            report = load(
                options["fixtures"],
                force_paths=options["force"],
                force_all=options["force_all"],
                dry_run=options["dry_run"],
                strict=options["strict"],
            )
        except ContentError as error:
            lines = [f"  {problem}" for problem in error.problems]
            raise CommandError(
                f"The content was not loaded ({len(lines)} problem(s)); the database is unchanged:\n" + "\n".join(lines)
            ) from None
        for problem in report.removed:
            self.stdout.write(self.style.WARNING(f"warning: {problem}"))
        if options["verbosity"] > 1 or options["dry_run"]:
            for line in report.lines:
                self.stdout.write(line)
        else:
            for line in report.lines:
                if not line.startswith("unchanged"):
                    self.stdout.write(line)
        for path in report.replaced:
            self.stdout.write(self.style.WARNING(f"Replaced the admin's edit of {path} with the fixture."))
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if not options["dry_run"]:
            # After the content's transaction: files written for a load that failed would be orphans.
            made, failed = make_renditions()
            self.stdout.write(f"Image renditions: {made} made for the pages' images.")
            if failed:
                self.stderr.write(self.style.WARNING(f"{failed} image(s) could not be resized; see the log."))
