from django.conf import settings
from django.core.management.base import BaseCommand

from partnership.content.exporter import export


class Command(BaseCommand):
    help = "Write the live site's content in the fixture format (pages, images, footer)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.FIXTURES_DIR),
            help="The folder to write content/ and media/ into (default: %(default)s, the repository's fixtures).",
        )

    def handle(self, *args, **options):
        notes = export(options["output"], known_media_dir=settings.FIXTURES_DIR / "media")
        for note in notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(self.style.SUCCESS(f"Exported the live content to {options['output']}."))
