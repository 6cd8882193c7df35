import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "For local development only: create an admin account if there is no superuser yet. "
        "Uses DJANGO_SUPERUSER_USERNAME / _PASSWORD / _EMAIL when set, otherwise prints a random password once."
    )

    def handle(self, *args, **options):
        if not getattr(settings, "LOCAL_ADMIN_ALLOWED", False):
            raise CommandError("create_local_admin only runs under the development settings (iomeu.settings.dev).")
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account exists already; none created.")
            return
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(15)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Created the local admin '{username}'. Log in at /admin/."))
        if not settings.LOGINS_TWO_FACTOR_REQUIRED:
            self.stdout.write(
                "Here the password is enough: two-factor authentication is optional under the development "
                "settings. In production an Administrator must set up an authenticator app at the first login."
            )
        if "DJANGO_SUPERUSER_PASSWORD" not in os.environ:
            self.stdout.write(f"Its password, shown only this once: {password}")
