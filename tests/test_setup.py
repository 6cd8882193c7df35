"""Set-up safety: production refuses to start half-configured; the local admin is for dev only."""

import os
import sys
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.test import TestCase, override_settings

from . import production
from .production import PRODUCTION_ENV, under_production_settings
from .utils import run_command

PRINT_HOSTS = "import django; django.setup(); from django.conf import settings; print(settings.ALLOWED_HOSTS)"


class ProductionSettingsTests(TestCase):
    def test_refuses_to_start_without_each_required_variable(self):
        for missing in PRODUCTION_ENV:
            with self.subTest(missing=missing):
                env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
                result = under_production_settings(env, "-c", PRINT_HOSTS, required={})
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(f"Set the {missing} environment variable", result.stderr)

    def test_the_deployment_check_finds_nothing(self):
        result = under_production_settings({}, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_gunicorn_accepts_its_configuration(self):
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        result = production.run([gunicorn, "--check-config", "-c", "gunicorn.conf.py", "iomeu.wsgi"])
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_gunicorn_listens_only_on_this_machine_unless_told(self):
        """Clients that reach gunicorn directly could write their own X-Forwarded-For: by default only
        the reverse proxy on the same machine can reach it."""

        gunicorn = str(Path(sys.executable).with_name("gunicorn"))

        def bind(extra):
            result = production.run([gunicorn, "--print-config", "-c", "gunicorn.conf.py", "iomeu.wsgi"], extra)
            lines = result.stdout.splitlines()
            return next(line.split("=", 1)[1].strip() for line in lines if line.startswith("bind "))

        self.assertEqual(bind({}), "['127.0.0.1:8000']")
        self.assertEqual(bind({"GUNICORN_BIND": "10.0.0.5:8000"}), "['10.0.0.5:8000']")

    def test_starts_with_them(self):
        result = under_production_settings({}, "-c", PRINT_HOSTS)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("partnership.example.org", result.stdout)


class LocalAdminTests(TestCase):
    def test_refused_outside_the_dev_settings(self):
        with self.assertRaisesMessage(CommandError, "only runs under the development settings"):
            run_command("create_local_admin")
        self.assertFalse(get_user_model().objects.exists())

    @override_settings(LOCAL_ADMIN_ALLOWED=True)
    def test_creates_one_admin_with_a_random_password_printed_once(self):
        with mock.patch.dict(os.environ):
            os.environ.pop("DJANGO_SUPERUSER_PASSWORD", None)
            output = run_command("create_local_admin")
        password = output.rsplit(": ", 1)[1].strip()
        self.assertGreaterEqual(len(password), 16)
        admin = get_user_model().objects.get(is_superuser=True)
        self.assertTrue(admin.check_password(password))
        second = run_command("create_local_admin")
        self.assertIn("exists already", second)
        self.assertNotIn(password, second)
        self.assertEqual(get_user_model().objects.filter(is_superuser=True).count(), 1)
        # A second install never gets the same password: it is not fixed in the code.
        admin.delete()
        self.assertNotEqual(run_command("create_local_admin").rsplit(": ", 1)[1].strip(), password)

    @override_settings(LOCAL_ADMIN_ALLOWED=True, LOGINS_TWO_FACTOR_REQUIRED=False)
    def test_says_the_password_is_enough_where_two_factor_is_optional(self):
        output = run_command("create_local_admin")
        self.assertIn("the password is enough: two-factor authentication is optional", output)
        with override_settings(LOGINS_TWO_FACTOR_REQUIRED=True):
            get_user_model().objects.all().delete()
            self.assertNotIn("the password is enough", run_command("create_local_admin"))

    @override_settings(LOCAL_ADMIN_ALLOWED=True)
    def test_takes_the_account_from_the_environment(self):
        env = {"DJANGO_SUPERUSER_USERNAME": "comms", "DJANGO_SUPERUSER_PASSWORD": "a-chosen-passphrase-42"}
        with mock.patch.dict(os.environ, env):
            output = run_command("create_local_admin")
        self.assertNotIn("a-chosen-passphrase-42", output)
        self.assertTrue(get_user_model().objects.get(username="comms").check_password("a-chosen-passphrase-42"))
