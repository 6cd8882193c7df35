"""A Directorate-General's acronym is its own: the admin says so in the form, never with a server
error, and keeps what the editor typed. Through the real copy, create and edit views."""

import datetime
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils import WagtailPageTestCase, WagtailTestUtils
from wagtail.test.utils.form_data import nested_form_data, streamfield

from partnership.models import DirectorateGeneralPage

from .test_roles import make_user
from .utils import LoadedSiteMixin, edit_form_data, page_at, soup

DG_INDEX = "/directorates-general/"
ECHO = "/directorates-general/echo/"
NEAR = "/directorates-general/near/"


class AcronymTestCase(LoadedSiteMixin, WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = make_user("editor", "Editors")

    def setUp(self):
        super().setUp()
        self.client.force_login(self.editor)

    def acronyms(self):
        return sorted(DirectorateGeneralPage.objects.values_list("acronym", flat=True))

    def new_dg_data(self, **overrides):
        fields = {
            "title": "DG MOVE",
            "slug": "move",
            "summary": "Mobility and transport.",
            "acronym": "MOVE",
            "full_name": "Directorate-General for Mobility and Transport",
            "kind": DirectorateGeneralPage.COMMISSION_DG,
            "remit": "Transport policy.",
            "website": "",
            "body": streamfield([("heading", {"text": "What DG MOVE does", "level": "h2"})]),
        }
        fields.update(overrides)
        return nested_form_data(fields)

    def add_url(self):
        return reverse("wagtailadmin_pages:add", args=["partnership", "directorategeneralpage", page_at(DG_INDEX).pk])


class CopyingDirectorateGeneralPagesTests(AcronymTestCase):
    def copy_post(self, page, **extra):
        return self.client.post(
            reverse("wagtailadmin_pages:copy", args=[page.pk]),
            {
                "new_title": f"{page.title} (copy)",
                "new_slug": f"{page.slug}-copy",
                "new_parent_page": str(page.get_parent().pk),
                **extra,
            },
            follow=True,
        )

    def test_copying_a_dg_page_is_refused_with_a_message(self):
        page = page_at(ECHO)
        before = (self.acronyms(), Page.objects.count())
        response = self.copy_post(page)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A Directorate-General page cannot be copied or aliased")
        self.assertEqual((self.acronyms(), Page.objects.count()), before)

    def test_aliasing_a_dg_page_is_refused_with_a_message(self):
        before = (self.acronyms(), Page.objects.count())
        response = self.copy_post(page_at(ECHO), alias="on")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A Directorate-General page cannot be copied or aliased")
        self.assertEqual((self.acronyms(), Page.objects.count()), before)

    def test_other_pages_still_copy(self):
        page = page_at("/who-we-are/about/")
        self.copy_post(page)
        self.assertTrue(Page.objects.filter(slug="about-copy").exists())


class AcronymInTheFormTests(AcronymTestCase):
    def test_a_draft_needs_its_acronym(self):
        before = (self.acronyms(), Page.objects.count())
        for attempt in ("first", "second"):
            with self.subTest(attempt):
                response = self.client.post(self.add_url(), self.new_dg_data(acronym="", title=f"DG MOVE {attempt}"))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["form"].errors["acronym"], ["This field is required."])
                # The editor's input is still there to correct.
                self.assertEqual(soup(response).select_one("input[name=title]")["value"], f"DG MOVE {attempt}")
        self.assertEqual((self.acronyms(), Page.objects.count()), before)

    def test_a_draft_with_another_dgs_acronym_is_refused_with_a_message(self):
        before = (self.acronyms(), Page.objects.count())
        response = self.client.post(self.add_url(), self.new_dg_data(acronym="ECHO"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["acronym"],
            [
                "The Directorate-General page 'DG ECHO' already uses the acronym ECHO. "
                "Each Directorate-General needs an acronym of its own."
            ],
        )
        self.assertEqual((self.acronyms(), Page.objects.count()), before)

    def test_an_edit_taking_another_dgs_acronym_is_refused_and_nothing_is_saved(self):
        page = page_at("/directorates-general/near/")
        revisions = page.revisions.count()
        data = edit_form_data(self.client, page)
        data["acronym"] = "ECHO"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already uses the acronym ECHO", " ".join(response.context["form"].errors["acronym"]))
        self.assertEqual(page.revisions.count(), revisions)
        self.assertEqual(page_at("/directorates-general/near/").acronym, "NEAR")

    def test_a_dg_keeps_its_own_acronym_when_edited(self):
        page = page_at(ECHO)
        data = edit_form_data(self.client, page)
        data["summary"] = "Edited, acronym unchanged."
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(page_at(ECHO).get_latest_revision_as_object().summary, "Edited, acronym unchanged.")


class StaleAcronymTestCase(LoadedSiteMixin, WagtailTestUtils, TestCase):
    """DG NEAR's draft takes the acronym ZZZ and waits for moderation; meanwhile DG ECHO publishes
    ZZZ. The draft was fine when it was saved and is stale now: publishing it must be refused with
    a message naming the clash, and leave everything as it was."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = make_user("editor", "Editors")
        cls.moderator = make_user("moderator", "Moderators")
        cls.administrator = make_user("administrator", superuser=True)

    def setUp(self):
        super().setUp()
        near = page_at(NEAR)
        near.acronym = "ZZZ"
        near.summary = "NEAR, renamed in a draft."
        self.stale_revision = near.save_revision(user=self.editor)
        self.workflow_state = near.get_workflow().start(near, self.editor)
        echo = page_at(ECHO)
        echo.acronym = "ZZZ"
        echo.save_revision(user=self.moderator).publish(user=self.moderator)
        self.near = page_at(NEAR)

    def assertNothingPublished(self):
        near = page_at(NEAR)
        self.assertEqual(near.acronym, "NEAR")
        self.assertNotEqual(near.live_revision_id, self.stale_revision.pk)
        self.assertFalse(PageLogEntry.objects.filter(page=near, action="wagtail.publish", revision=self.stale_revision))

    def assertStillAwaitingModeration(self):
        self.workflow_state.refresh_from_db()
        self.assertEqual(self.workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(self.workflow_state.current_task_state.status, TaskState.STATUS_IN_PROGRESS)
        self.assertFalse(PageLogEntry.objects.filter(page=self.near, action="wagtail.workflow.approve").exists())

    def messages_shown(self, response):
        return " ".join(" ".join(li.get_text(" ").split()) for li in soup(response).select(".messages li"))


class ApprovingAStaleDraftTests(StaleAcronymTestCase):
    def approve_url(self):
        task_state = self.workflow_state.current_task_state
        return reverse("wagtailadmin_pages:workflow_action", args=[self.near.pk, "approve", task_state.pk])

    def test_approving_from_the_dashboard_is_refused_with_a_message_and_the_page_stays_in_moderation(self):
        self.client.force_login(self.moderator)
        dashboard = reverse("wagtailadmin_home")
        response = self.client.post(self.approve_url(), {"next": dashboard}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.redirect_chain[-1][0], dashboard)
        text = self.messages_shown(response)
        self.assertIn("'DG NEAR' was not published", text)
        self.assertIn("ZZZ is already the acronym of 'DG ECHO'", text)
        self.assertIn("still awaiting moderation", text)
        self.assertNothingPublished()
        self.assertStillAwaitingModeration()

    def test_approving_with_a_comment_is_refused_with_a_message(self):
        self.client.force_login(self.moderator)
        response = self.client.post(
            self.approve_url(), {"comment": "Looks good."}, headers={"x-requested-with": "XMLHttpRequest"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["step"], "success")  # the modal closes and goes to the page below
        text = self.messages_shown(self.client.get(response.json()["redirect"]))
        self.assertIn("ZZZ is already the acronym of 'DG ECHO'", text)
        self.assertNothingPublished()
        self.assertStillAwaitingModeration()

    def test_approving_in_the_editor_is_refused_by_the_form(self):
        self.client.force_login(self.moderator)
        data = edit_form_data(self.client, self.near)
        data["action-workflow-action"] = "action-workflow-action"
        data["workflow-action-name"] = "approve"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[self.near.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already uses the acronym ZZZ", " ".join(response.context["form"].errors["acronym"]))
        self.assertNothingPublished()
        self.assertStillAwaitingModeration()

    def test_publishing_in_the_editor_is_refused_by_the_form(self):
        self.client.force_login(self.moderator)
        data = edit_form_data(self.client, self.near)
        data["action-publish"] = "action-publish"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[self.near.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already uses the acronym ZZZ", " ".join(response.context["form"].errors["acronym"]))
        self.assertNothingPublished()
        self.assertStillAwaitingModeration()


class BulkPublishingAStaleDraftTests(StaleAcronymTestCase):
    def bulk_publish(self, *pages):
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        query = "&".join(f"id={page.pk}" for page in pages)
        explorer = reverse("wagtailadmin_explore", args=[self.near.get_parent().pk])
        return self.client.post(f"{url}?{query}&next={explorer}", {"include_descendants": ""}, follow=True)

    def test_bulk_publishing_is_refused_with_a_message_and_publishes_nothing(self):
        self.client.force_login(self.administrator)
        framework = page_at("/framework/")
        framework.summary = "The framework, in a draft."
        framework.save_revision(user=self.administrator)
        response = self.bulk_publish(framework, self.near)
        self.assertEqual(response.status_code, 200)
        text = self.messages_shown(response)
        self.assertIn("'DG NEAR' was not published", text)
        self.assertIn("ZZZ is already the acronym of 'DG ECHO'", text)
        self.assertIn("None of the selected pages was published", text)
        self.assertNothingPublished()
        self.assertNotEqual(page_at("/framework/").summary, "The framework, in a draft.")
        self.assertStillAwaitingModeration()

    def test_bulk_publishing_still_publishes_every_page_when_none_is_stale(self):
        self.client.force_login(self.administrator)
        framework = page_at("/framework/")
        framework.summary = "The framework, in a draft."
        framework.save_revision(user=self.administrator)
        echo = page_at(ECHO)
        echo.summary = "ECHO, in a draft."
        echo.save_revision(user=self.administrator)
        response = self.bulk_publish(framework, echo)
        self.assertIn("2 pages have been published", self.messages_shown(response))
        self.assertEqual(page_at("/framework/").summary, "The framework, in a draft.")
        self.assertEqual(page_at(ECHO).summary, "ECHO, in a draft.")


class RevertingToAStaleRevisionTests(StaleAcronymTestCase):
    def test_publishing_a_stale_revision_from_the_history_is_refused_by_the_form(self):
        self.client.force_login(self.moderator)
        data = edit_form_data(self.client, self.near)  # the latest revision is the stale one
        data["action-publish"] = "action-publish"
        url = reverse("wagtailadmin_pages:revisions_revert", args=[self.near.pk, self.stale_revision.pk])
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already uses the acronym ZZZ", " ".join(response.context["form"].errors["acronym"]))
        self.assertNothingPublished()


class SchedulingAStaleDraftTests(StaleAcronymTestCase):
    def test_publish_scheduled_reports_the_page_publishes_the_rest_and_exits_non_zero(self):
        self.stale_revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=2)
        self.stale_revision.save()
        framework = page_at("/framework/")
        framework.summary = "The framework, as scheduled."
        later = framework.save_revision(user=self.moderator)
        later.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
        later.save()

        out, err = StringIO(), StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command("publish_scheduled", stdout=out, stderr=err)
        self.assertIn("1 scheduled page was not published", str(raised.exception))
        self.assertIn("'DG NEAR'", err.getvalue())
        self.assertIn("ZZZ is already the acronym of 'DG ECHO'", err.getvalue())
        self.assertEqual(page_at("/framework/").summary, "The framework, as scheduled.")
        self.assertNothingPublished()
        # Still scheduled: it goes live on the first run after someone resolves the clash.
        self.stale_revision.refresh_from_db()
        self.assertIsNotNone(self.stale_revision.approved_go_live_at)
