"""Email: production reads the mail server and the senders from the environment, and workflow
notifications link to the site's public address, from the configured sender."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from . import production
from .utils import LoadedSiteMixin, edit_form_data, page_at

PUBLIC = "https://partnership.example.org"
SENDER = "IOM and the European Union <web@partnership.example.org>"
EMAIL_FACTS = """
from django.conf import settings as s
for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
             "DEFAULT_FROM_EMAIL", "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL", "SERVER_EMAIL", "WAGTAILADMIN_BASE_URL"):
    facts[name] = getattr(s, name)
"""


def test_production_reads_the_mail_server_and_senders_from_the_environment():
    env = {
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "2525",
        "EMAIL_HOST_USER": "partnership",
        "EMAIL_HOST_PASSWORD": "not-a-real-password",
        "EMAIL_USE_TLS": "false",
        "DEFAULT_FROM_EMAIL": SENDER,
        "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL": "Moderation <moderation@partnership.example.org>",
        "SERVER_EMAIL": "errors@partnership.example.org",
        "WAGTAILADMIN_BASE_URL": PUBLIC,
    }
    facts = production.production_facts(env, EMAIL_FACTS)
    assert facts["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (facts["EMAIL_HOST"], facts["EMAIL_PORT"], facts["EMAIL_USE_TLS"]) == ("smtp.example.org", 2525, False)
    assert (facts["EMAIL_HOST_USER"], facts["EMAIL_HOST_PASSWORD"]) == ("partnership", "not-a-real-password")
    assert facts["DEFAULT_FROM_EMAIL"] == SENDER
    assert facts["WAGTAILADMIN_NOTIFICATION_FROM_EMAIL"] == "Moderation <moderation@partnership.example.org>"
    assert facts["SERVER_EMAIL"] == "errors@partnership.example.org"
    assert facts["WAGTAILADMIN_BASE_URL"] == PUBLIC


def test_production_never_sends_from_webmaster_at_localhost_nor_links_to_it():
    facts = production.production_facts({}, EMAIL_FACTS)  # only the required variables
    for name in ("DEFAULT_FROM_EMAIL", "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL", "SERVER_EMAIL"):
        assert facts[name] == "IOM and the European Union <no-reply@partnership.example.org>", name
    assert facts["WAGTAILADMIN_BASE_URL"] == PUBLIC
    assert facts["EMAIL_USE_TLS"] is True


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    WAGTAILADMIN_BASE_URL=PUBLIC,
    WAGTAILADMIN_NOTIFICATION_FROM_EMAIL=SENDER,
)
class WorkflowNotificationTests(LoadedSiteMixin, WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        User = get_user_model()
        cls.editor = User.objects.create_user("editor", "editor@example.org", "a-long-test-password-1")
        cls.editor.groups.add(Group.objects.get(name="Editors"))
        cls.moderator = User.objects.create_user("moderator", "moderator@example.org", "a-long-test-password-1")
        cls.moderator.groups.add(Group.objects.get(name="Moderators"))

    def test_a_submission_notifies_the_moderators_with_links_to_the_public_address(self):
        page = page_at("/thematic-areas/protection/")
        self.client.force_login(self.editor)
        data = edit_form_data(self.client, page)
        data["action-submit"] = "action-submit"
        self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

        sent = [message for message in mail.outbox if "moderator@example.org" in message.to]
        self.assertEqual(len(sent), 1, [m.subject for m in mail.outbox])
        message = sent[0]
        self.assertEqual(message.from_email, SENDER)
        bodies = [message.body, *(content for content, _ in getattr(message, "alternatives", []))]
        links = {link for body in bodies for link in re.findall(r"https?://[^\s\"'<>]+", body)}
        self.assertTrue(links, message.body)
        for link in links:
            self.assertTrue(link.startswith(f"{PUBLIC}/"), link)
        self.assertIn(f"{PUBLIC}/admin/pages/{page.pk}/", "\n".join(sorted(links)))
