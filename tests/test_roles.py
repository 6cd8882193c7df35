"""Roles and moderation: each kind of person can do exactly what their role allows, through the
admin's real views, and an Editor's change reaches visitors only after a Moderator approves it."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import ModelLogEntry, PageLogEntry, Workflow, WorkflowState
from wagtail.test.utils import WagtailTestUtils

from partnership.models import FooterSettings, PartnershipImage
from partnership.wagtail_hooks import (
    USER_DEACTIVATED,
    USER_GROUPS_CHANGED,
    USER_MADE_ADMINISTRATOR,
    USER_NO_LONGER_ADMINISTRATOR,
)

from .utils import LoadedSiteMixin, edit_form_data, page_at, run_command, soup

AREA = "/thematic-areas/protection/"
ROLES = ("anonymous", "editor", "moderator", "administrator")


def make_user(username, group=None, superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", "a-long-test-password-1")
    user = User.objects.create_user(username, f"{username}@example.org", "a-long-test-password-1")
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


class RoleTestCase(LoadedSiteMixin, WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.users = {
            "anonymous": None,
            "editor": make_user("editor", "Editors"),
            "moderator": make_user("moderator", "Moderators"),
            "administrator": make_user("administrator", superuser=True),
        }

    def as_role(self, role):
        self.client.logout()
        if self.users[role] is not None:
            self.client.force_login(self.users[role])

    def edit_post(self, page, action=None, **changes):
        """POST the page's real edit form with some fields changed, as the page editor does."""
        data = edit_form_data(self.client, page)
        data.update(changes)
        if action:
            data[action] = action
        return self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    def public_text(self, path):
        self.client.logout()
        return " ".join(soup(self.client.get(path)).main.get_text().split())


class RoleMatrixTests(RoleTestCase):
    """For each role and each action, whether it happened: read from the database and from what
    visitors see, not only from status codes."""

    def test_view_the_admin(self):
        expected = {"anonymous": False, "editor": True, "moderator": True, "administrator": True}
        for role, allowed in expected.items():
            with self.subTest(role):
                self.as_role(role)
                response = self.client.get(reverse("wagtailadmin_home"))
                self.assertEqual(response.status_code == 200, allowed)
                if not allowed:
                    self.assertRedirects(response, reverse("wagtailadmin_login") + "?next=/admin/")

    def test_edit_a_page_as_a_draft(self):
        expected = {"anonymous": False, "editor": True, "moderator": True, "administrator": True}
        for role, allowed in expected.items():
            with self.subTest(role):
                page = page_at(AREA)
                self.as_role(role)
                if role == "anonymous":
                    response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
                    self.assertEqual(response.status_code, 302)
                    continue
                self.edit_post(page, summary=f"Draft by {role}.")
                latest = page_at(AREA).get_latest_revision()
                self.assertEqual(latest.user == self.users[role], allowed)
                self.assertEqual(latest.as_object().summary, f"Draft by {role}.")
                self.assertNotIn(f"Draft by {role}.", self.public_text(AREA))

    def test_publish_directly(self):
        expected = {"editor": False, "moderator": True, "administrator": True}
        for role, allowed in expected.items():
            with self.subTest(role):
                self.as_role(role)
                self.edit_post(page_at(AREA), action="action-publish", summary=f"Published by {role}.")
                self.assertEqual(f"Published by {role}." in self.public_text(AREA), allowed)

    def test_approve_a_submitted_page(self):
        expected = {"editor": False, "moderator": True, "administrator": True}
        for role, allowed in expected.items():
            with self.subTest(role):
                self.as_role("editor")
                self.edit_post(page_at(AREA), action="action-submit", summary=f"For {role} to approve.")
                state = WorkflowState.objects.get(object_id=str(page_at(AREA).pk), status="in_progress")
                self.as_role(role)
                self.client.post(
                    reverse(
                        "wagtailadmin_pages:workflow_action",
                        args=[page_at(AREA).pk, "approve", state.current_task_state.pk],
                    ),
                    {"comment": ""},
                )
                state.refresh_from_db()
                self.assertEqual(state.status == "approved", allowed)
                self.assertEqual(f"For {role} to approve." in self.public_text(AREA), allowed)
                if not allowed:
                    state.cancel(user=self.users["administrator"])

    def test_edit_site_settings(self):
        site = self.site
        url = reverse("wagtailsettings:edit", args=["partnership", "footersettings", site.pk])
        expected = {"anonymous": False, "editor": False, "moderator": True, "administrator": True}
        for role, allowed in expected.items():
            with self.subTest(role):
                self.as_role(role)
                footer = FooterSettings.objects.get(site=site)
                self.client.post(
                    url,
                    {
                        "organisation": footer.organisation,
                        "website": f"https://example.org/set-by-{role}/",
                        "email": "",
                        "phone": "",
                        "social_links-count": "0",
                    },
                )
                saved = FooterSettings.objects.get(site=site).website
                self.assertEqual(saved == f"https://example.org/set-by-{role}/", allowed)

    def test_manage_users(self):
        expected = {"anonymous": False, "editor": False, "moderator": False, "administrator": True}
        for role, allowed in expected.items():
            with self.subTest(role):
                self.as_role(role)
                listing = self.client.get(reverse("wagtailusers_users:index"))
                edit_link = reverse("wagtailusers_users:edit", args=[self.users["moderator"].pk])
                self.assertEqual(listing.status_code == 200 and edit_link.encode() in listing.content, allowed)
                self.client.post(
                    reverse("wagtailusers_users:add"),
                    {
                        "username": f"new-by-{role}",
                        "email": f"new-by-{role}@example.org",
                        "first_name": "New",
                        "last_name": "Person",
                        "password1": "a-long-new-password-7",
                        "password2": "a-long-new-password-7",
                        "is_active": "on",
                    },
                )
                self.assertEqual(get_user_model().objects.filter(username=f"new-by-{role}").exists(), allowed)

    def test_upload_an_allowed_image(self):
        expected = {"anonymous": False, "editor": True, "moderator": True, "administrator": True}
        for role, allowed in expected.items():
            with self.subTest(role):
                self.as_role(role)
                before = PartnershipImage.objects.count()
                self.client.post(
                    reverse("wagtailimages:add"),
                    {
                        "title": f"Upload by {role}",
                        "description": "A small test image.",
                        "file": SimpleUploadedFile("ok.png", get_test_image_file().file.getvalue()),
                        "collection": "1",
                    },
                )
                self.assertEqual(PartnershipImage.objects.count() == before + 1, allowed)

    def test_upload_an_oversized_or_disallowed_file_is_refused_for_everyone(self):
        png = get_test_image_file().file.getvalue()
        bad_images = {
            "over 10 MB": SimpleUploadedFile("big.png", png + b"\0" * (10 * 1024 * 1024)),
            "GIF": SimpleUploadedFile("anim.gif", b"GIF89a" + b"\0" * 64, content_type="image/gif"),
            "SVG": SimpleUploadedFile("icon.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        }
        bad_documents = {
            "HTML": SimpleUploadedFile("page.html", b"<script>alert(1)</script>"),
            "executable": SimpleUploadedFile("setup.exe", b"MZ" + b"\0" * 64),
        }
        for role in ROLES:
            for label, upload in bad_images.items():
                with self.subTest(role=role, file=label):
                    self.as_role(role)
                    upload.seek(0)
                    before = PartnershipImage.objects.count()
                    response = self.client.post(
                        reverse("wagtailimages:add"),
                        {"title": "Bad", "description": "Bad.", "file": upload, "collection": "1"},
                    )
                    self.assertEqual(PartnershipImage.objects.count(), before)
                    if role != "anonymous":
                        self.assertEqual(response.status_code, 200)  # the form again, with its error
                        self.assertTrue(soup(response).select(".error-message, .help-critical, [role=alert]"))
            for label, upload in bad_documents.items():
                with self.subTest(role=role, file=label):
                    self.as_role(role)
                    upload.seek(0)
                    before = get_document_model().objects.count()
                    self.client.post(reverse("wagtaildocs:add"), {"title": "Bad", "file": upload, "collection": "1"})
                    self.assertEqual(get_document_model().objects.count(), before)


class ModerationTests(RoleTestCase):
    def test_editor_change_goes_live_only_after_a_moderator_approves(self):
        self.assertEqual(Workflow.objects.get(active=True).name, "Moderation")
        page = page_at(AREA)
        original = page.summary

        self.as_role("editor")
        response = self.edit_post(page, action="action-submit", summary="Protection, as revised by the editor.")
        self.assertEqual(response.status_code, 302)
        state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
        self.assertEqual(state.requested_by, self.users["editor"])

        # Submitted is not published: visitors still read the old text.
        public = self.public_text(AREA)
        self.assertIn(" ".join(original.split()[:6]), public)
        self.assertNotIn("as revised by the editor", public)

        # The moderator sees it on the dashboard, and approves it.
        self.as_role("moderator")
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(dashboard, "Awaiting your review")
        self.assertContains(dashboard, page.title)
        self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]),
            {"comment": "Checked against the facts."},
        )
        self.assertIn("Protection, as revised by the editor.", self.public_text(AREA))

        history = list(PageLogEntry.objects.filter(page=page).values_list("action", "user__username"))
        self.assertIn(("wagtail.workflow.start", "editor"), history)
        self.assertIn(("wagtail.workflow.approve", "moderator"), history)
        self.assertIn(("wagtail.publish", "moderator"), history)

    def test_a_rejected_change_goes_back_to_the_editor_with_the_comment(self):
        page = page_at(AREA)
        self.as_role("editor")
        self.edit_post(page, action="action-submit", summary="A change that needs work.")
        state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")

        self.as_role("moderator")
        self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", state.current_task_state.pk]),
            {"comment": "Please cite the source of this figure."},
        )
        state.refresh_from_db()
        self.assertEqual(state.status, "needs_changes")
        self.assertNotIn("A change that needs work.", self.public_text(AREA))

        self.as_role("editor")
        history = self.client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
        self.assertContains(history, "Please cite the source of this figure.")
        self.assertIn(
            ("wagtail.workflow.reject", "moderator"),
            list(PageLogEntry.objects.filter(page=page).values_list("action", "user__username")),
        )

    def test_editors_dashboard_shows_their_page_awaiting_review(self):
        self.as_role("editor")
        self.edit_post(page_at(AREA), action="action-submit", summary="Waiting for review.")
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(dashboard, "Your pages and snippets in a workflow")
        self.assertContains(dashboard, "Protection")

    def test_scheduled_publishing_is_honoured_by_publish_scheduled(self):
        page = page_at("/framework/")
        page.summary = "The framework, as scheduled."
        revision = page.save_revision(user=self.users["moderator"])
        revision.approved_go_live_at = timezone.now() + datetime.timedelta(hours=1)
        revision.save()
        run_command("publish_scheduled")
        self.assertNotIn("as scheduled", self.public_text("/framework/"))  # not yet time

        revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
        revision.save()
        run_command("publish_scheduled")
        self.assertIn("The framework, as scheduled.", self.public_text("/framework/"))

    def test_expiry_unpublishes(self):
        page = page_at("/our-work/take-action/")
        page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        page.save()
        run_command("publish_scheduled")
        self.client.logout()
        self.assertEqual(self.client.get("/our-work/take-action/").status_code, 404)


class UploadServingTests(RoleTestCase):
    def test_a_document_is_served_so_it_cannot_run_as_a_page(self):
        document = get_document_model().objects.create(
            title="Data",
            file=SimpleUploadedFile("data.csv", b"name,value\n<script>alert(1)</script>,1\n"),
        )
        response = self.client.get(document.url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("default-src 'none'", response["Content-Security-Policy"])
        self.assertNotIn("html", response["Content-Type"])


class AuditLogTests(RoleTestCase):
    def test_user_creation_deactivation_and_group_change_are_logged_with_who(self):
        self.as_role("administrator")
        self.client.post(
            reverse("wagtailusers_users:add"),
            {
                "username": "newcomer",
                "email": "newcomer@example.org",
                "first_name": "New",
                "last_name": "Comer",
                "password1": "a-long-new-password-7",
                "password2": "a-long-new-password-7",
                "is_active": "on",
                "groups": [Group.objects.get(name="Editors").pk],
            },
        )
        newcomer = get_user_model().objects.get(username="newcomer")
        self.client.post(
            reverse("wagtailusers_users:edit", args=[newcomer.pk]),
            {
                "username": "newcomer",
                "email": "newcomer@example.org",
                "first_name": "New",
                "last_name": "Comer",
                "password1": "",
                "password2": "",
                "groups": [Group.objects.get(name="Moderators").pk],
            },
        )
        newcomer.refresh_from_db()
        self.assertFalse(newcomer.is_active)
        entries = ModelLogEntry.objects.filter(object_id=str(newcomer.pk))
        actions = {entry.action: entry for entry in entries}
        self.assertIn("wagtail.create", actions)
        self.assertIn(USER_DEACTIVATED, actions)
        self.assertIn(USER_GROUPS_CHANGED, actions)
        for entry in actions.values():
            self.assertEqual(entry.user, self.users["administrator"])
            self.assertIsNotNone(entry.timestamp)
        self.assertEqual(actions[USER_GROUPS_CHANGED].data, {"before": ["Editors"], "after": ["Moderators"]})

    def test_a_deactivated_user_keeps_their_pages_and_revisions(self):
        editor = self.users["editor"]
        self.as_role("editor")
        self.edit_post(page_at(AREA), summary="Work by an editor who later leaves.")
        editor.is_active = False
        editor.save()
        self.assertEqual(page_at(AREA).get_latest_revision().user, editor)
        self.client.logout()
        self.assertFalse(self.client.login(username="editor", password="a-long-test-password-1"))


class AccountRuleTests(RoleTestCase):
    def test_weak_passwords_are_refused_when_an_administrator_creates_a_user(self):
        self.as_role("administrator")
        for label, password in {
            "11 characters": "k7#Qm2!xZp9",
            "common": "password1234",
            "numeric": "839201746251",
        }.items():
            with self.subTest(label):
                response = self.client.post(
                    reverse("wagtailusers_users:add"),
                    {
                        "username": "weak",
                        "email": "weak@example.org",
                        "first_name": "W",
                        "last_name": "P",
                        "password1": password,
                        "password2": password,
                        "is_active": "on",
                    },
                )
                self.assertEqual(response.status_code, 200)
                self.assertFalse(get_user_model().objects.filter(username="weak").exists())

    def test_an_image_needs_its_description(self):
        self.as_role("editor")
        before = PartnershipImage.objects.count()
        response = self.client.post(
            reverse("wagtailimages:add"),
            {
                "title": "No alt text",
                "description": "",
                "file": SimpleUploadedFile("ok.png", get_test_image_file().file.getvalue()),
                "collection": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(PartnershipImage.objects.count(), before)


class EditorExperienceTests(RoleTestCase):
    def test_the_admin_sends_staff_data_to_no_other_host(self):
        self.as_role("editor")
        for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_account")):
            with self.subTest(url):
                content = self.client.get(url).content.decode()
                self.assertNotIn("gravatar.com", content)
                self.assertNotIn("releases.wagtail.io", content)

    def test_every_page_type_has_tabs_and_the_accessibility_checker_is_on(self):
        self.as_role("editor")
        for path, tabs in {
            "/": ["Content", "Figures and timeline", "Promote"],
            "/framework/": ["Content", "Framework", "Promote"],
            "/directorates-general/echo/": ["Content", "Details", "Promote"],
            AREA: ["Content", "Details", "Promote"],
            "/who-we-are/": ["Content", "Promote"],
        }.items():
            with self.subTest(path):
                page = page_at(path)
                html = soup(self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])))
                labels = [" ".join(tab.get_text().split()) for tab in html.select("[role=tab]")]
                for tab in tabs:
                    self.assertTrue(any(label.startswith(tab) for label in labels), (tab, labels))
        # On the live site, staff get Wagtail's userbar with its accessibility checker.
        userbar = self.client.get("/framework/")
        self.assertContains(userbar, "w-userbar")
        self.assertContains(userbar, 'id="checker-trigger"')  # the accessibility checker's button
        self.client.logout()
        self.assertNotContains(self.client.get("/framework/"), "w-userbar")


class AdministratorsQuestionsTests(RoleTestCase):
    """What an Administrator reads in the history, the users list and the groups screens."""

    def edit_user(self, user, groups=(), superuser=False, active=True):
        data = {
            "username": user.username,
            "email": user.email,
            "first_name": "New",
            "last_name": "Comer",
            "password1": "",
            "password2": "",
            "groups": [Group.objects.get(name=name).pk for name in groups],
        }
        if superuser:
            data["is_superuser"] = "on"
        if active:
            data["is_active"] = "on"
        response = self.client.post(reverse("wagtailusers_users:edit", args=[user.pk]), data)
        self.assertEqual(response.status_code, 302, response.content[:500])

    def site_history(self):
        response = self.client.get(reverse("wagtailadmin_reports:site_history"))
        return " ".join(soup(response).main.get_text().split())

    def test_a_group_change_is_logged_with_before_and_after(self):
        self.as_role("administrator")
        newcomer = make_user("newcomer", "Editors")
        self.edit_user(newcomer, groups=["Moderators"])
        self.assertIn("Changed the account's groups: Editors → Moderators", self.site_history())
        self.edit_user(newcomer, groups=[])
        self.assertIn("Changed the account's groups: Moderators → no group", self.site_history())

    def test_making_and_unmaking_an_administrator_is_its_own_entry(self):
        self.as_role("administrator")
        newcomer = make_user("newcomer", "Editors")
        self.edit_user(newcomer, groups=["Editors"], superuser=True)
        entries = ModelLogEntry.objects.filter(object_id=str(newcomer.pk))
        self.assertEqual(entries.get(action=USER_MADE_ADMINISTRATOR).user, self.users["administrator"])
        self.assertIn("Made an Administrator", self.site_history())
        self.edit_user(newcomer, groups=["Editors"], superuser=False)
        self.assertTrue(entries.filter(action=USER_NO_LONGER_ADMINISTRATOR).exists())
        self.assertIn("No longer an Administrator", self.site_history())

    def test_the_users_list_shows_each_role_and_two_factor_status(self):
        TOTPDevice.objects.create(user=self.users["moderator"], name="Authenticator app", confirmed=True)
        self.as_role("administrator")
        html = soup(self.client.get(reverse("wagtailusers_users:index")))
        headings = [th.get_text(" ", strip=True) for th in html.select("table thead th")]
        self.assertIn("Role", headings)
        self.assertIn("Two-factor", headings)
        role, two_factor = headings.index("Role"), headings.index("Two-factor")
        rows = {}
        for row in html.select("table tbody tr"):
            cells = [" ".join(cell.get_text(" ").split()) for cell in row.find_all("td")]
            rows[cells[headings.index("Username")]] = (cells[role], cells[two_factor])
        self.assertEqual(rows["editor"], ("Editors", "Off"))
        self.assertEqual(rows["moderator"], ("Moderators", "On"))
        self.assertEqual(rows["administrator"], ("Administrator", "Required, not set up yet"))

    def test_the_groups_screens_say_what_each_role_may_do(self):
        self.as_role("administrator")
        listing = " ".join(soup(self.client.get(reverse("wagtailusers_groups:index"))).get_text().split())
        self.assertIn("What members may do", listing)
        self.assertIn("submit pages to moderation", listing)
        moderators = Group.objects.get(name="Moderators")
        edit = soup(self.client.get(reverse("wagtailusers_groups:edit", args=[moderators.pk])))
        help_text = " ".join(edit.find(id="id_name-helptext").get_text().split())
        self.assertIn("They must use two-factor authentication", help_text)
