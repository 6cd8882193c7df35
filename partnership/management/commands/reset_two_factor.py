from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from partnership.logins import two_factor


class Command(BaseCommand):
    help = (
        "Remove a person's authenticator app and recovery codes (for when the last Administrator has lost "
        "theirs). At their next login they set up a new app if their role requires one. Logged in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user named {username!r}.") from error
        deleted = two_factor.remove_second_factor(user, by=None, action=two_factor.RESET)
        if deleted:
            self.stdout.write(f"Two-factor authentication of {username} is reset.")
        else:
            self.stdout.write(f"{username} had no two-factor authentication to reset.")
