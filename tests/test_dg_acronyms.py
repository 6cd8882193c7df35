"""A Directorate-General's acronym is its own within its language: the admin says so in the form,
never with a server error, and keeps what the editor typed. Through the real copy, create and edit
views. A French DG HOME may sit beside the English one."""

import datetime
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page, PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils import WagtailPageTestCase, WagtailTestUtils
from wagtail.test.utils.form_data import nested_form_data, streamfield

from partnership.content.errors import ContentError
from partnership.content.loader import load
from partnership.models import DirectorateGeneralPage

from .test_content_loader import TempDirMixin, set_key
from .test_roles import make_user
from .utils import LoadedSiteMixin, edit_form_data, page_at, row_counts, soup

DG_INDEX = "/directorates-general/"
HOME = "/directorates-general/home/"
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


FRENCH = [("en", "English"), ("fr", "French")]


@override_settings(LANGUAGES=FRENCH, WAGTAIL_CONTENT_LANGUAGES=FRENCH)
class AcronymsPerLocaleTestCase(AcronymTestCase):
    """A French tree beside the English one, as translating makes it (Wagtail's copy_for_translation,
    which simple_translation calls): DG HOME and DG ECHO copied into French keep their acronyms.
    i18n stays off, as on the site today; the French pages are there all the same. French is declared
    a content language as it will be when i18n is on (Wagtail checks none of this against it)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.english = Locale.get_default()
        cls.french = Locale.objects.create(language_code="fr")
        cls.fr_home_dg = page_at(HOME).copy_for_translation(cls.french, copy_parents=True)
        cls.fr_echo = page_at(ECHO).copy_for_translation(cls.french)
        cls.fr_dg_index = cls.fr_home_dg.get_parent().specific

    def fresh(self, page):
        return DirectorateGeneralPage.objects.get(pk=page.pk)

    def add_url(self):
        return reverse("wagtailadmin_pages:add", args=["partnership", "directorategeneralpage", self.fr_dg_index.pk])

    def acronym_errors(self, page):
        with self.assertRaises(ValidationError) as raised:
            page.full_clean()
        return raised.exception.message_dict.get("acronym", [])


class SameAcronymInAnotherLocaleTests(AcronymsPerLocaleTestCase):
    def test_translating_a_dg_keeps_its_acronym_in_the_other_locale(self):
        self.assertEqual((self.fr_home_dg.acronym, self.fr_home_dg.locale), ("HOME", self.french))
        holders = DirectorateGeneralPage.objects.filter(acronym="HOME")
        self.assertEqual(sorted(holders.values_list("locale__language_code", flat=True)), ["en", "fr"])

    def test_the_model_accepts_and_publishes_the_same_acronym_in_another_locale(self):
        page = self.fresh(self.fr_home_dg)
        page.full_clean()  # no ValidationError
        page.save_revision().publish()
        self.assertTrue(self.fresh(self.fr_home_dg).live)
        self.assertTrue(page_at(HOME).live)

    def test_the_model_accepts_an_acronym_only_another_locale_uses(self):
        self.fr_echo.acronym = "MOVE"
        self.fr_echo.save_revision().publish()
        near = page_at(NEAR)
        near.acronym = "MOVE"
        near.full_clean()
        near.save_revision().publish()
        self.assertEqual(page_at(NEAR).acronym, "MOVE")

    def test_the_create_view_accepts_a_french_dg_with_an_english_dgs_acronym(self):
        response = self.client.post(self.add_url(), self.new_dg_data(acronym="NEAR", slug="near"))
        self.assertEqual(response.status_code, 302)
        created = DirectorateGeneralPage.objects.get(locale=self.french, acronym="NEAR")
        self.assertEqual(created.get_parent().pk, self.fr_dg_index.pk)
        self.assertEqual(DirectorateGeneralPage.objects.filter(acronym="NEAR").count(), 2)

    def test_the_edit_view_saves_and_publishes_a_french_dg_with_its_english_acronym(self):
        self.client.force_login(make_user("administrator", superuser=True))
        data = edit_form_data(self.client, self.fr_home_dg)
        data["summary"] = "La DG HOME, en français."
        data["action-publish"] = "action-publish"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[self.fr_home_dg.pk]), data)
        self.assertEqual(response.status_code, 302)
        page = self.fresh(self.fr_home_dg)
        self.assertEqual((page.live, page.acronym, page.summary), (True, "HOME", "La DG HOME, en français."))


class SameAcronymInTheSameLocaleTests(AcronymsPerLocaleTestCase):
    def test_the_model_refuses_another_french_dgs_acronym_in_any_case_naming_it(self):
        self.rename(self.fr_home_dg, "DG HOME (français)")
        for acronym in ("HOME", "home"):
            with self.subTest(acronym):
                page = self.fresh(self.fr_echo)
                page.acronym = acronym
                self.assertIn(
                    f"{acronym} is already the acronym of 'DG HOME (français)'. "
                    "Each Directorate-General needs an acronym of its own.",
                    self.acronym_errors(page),
                )

    def test_the_model_still_refuses_another_english_dgs_acronym(self):
        near = page_at(NEAR)
        near.acronym = "ECHO"
        self.assertEqual(
            self.acronym_errors(near),
            ["ECHO is already the acronym of 'DG ECHO'. Each Directorate-General needs an acronym of its own."],
        )

    def test_the_model_reports_the_acronym_and_the_slug_together(self):
        near = page_at(NEAR)
        near.acronym = "ECHO"
        near.slug = "echo"
        with self.assertRaises(ValidationError) as raised:
            near.full_clean()
        self.assertEqual(sorted(raised.exception.message_dict), ["acronym", "slug"])

    def rename(self, page, title):
        page = self.fresh(page)
        page.title = title
        page.save()

    def test_the_create_view_refuses_a_french_dg_with_another_french_dgs_acronym_naming_it(self):
        self.rename(self.fr_echo, "DG ECHO (français)")
        before = Page.objects.count()
        response = self.client.post(self.add_url(), self.new_dg_data(acronym="ECHO", slug="echo-2"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["acronym"],
            [
                "The Directorate-General page 'DG ECHO (français)' already uses the acronym ECHO. "
                "Each Directorate-General needs an acronym of its own."
            ],
        )
        self.assertEqual(Page.objects.count(), before)

    def test_the_edit_view_refuses_a_french_dg_taking_another_french_dgs_acronym_naming_it(self):
        self.rename(self.fr_home_dg, "DG HOME (français)")
        self.client.force_login(make_user("administrator", superuser=True))
        revisions = self.fr_echo.revisions.count()
        data = edit_form_data(self.client, self.fr_echo)
        data["acronym"] = "HOME"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[self.fr_echo.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "The Directorate-General page 'DG HOME (français)' already uses the acronym HOME",
            " ".join(response.context["form"].errors["acronym"]),
        )
        self.assertEqual(self.fr_echo.revisions.count(), revisions)

    def test_publishing_a_stale_french_draft_is_refused_with_the_message(self):
        draft = self.fresh(self.fr_echo)
        draft.acronym = "ZZZ"
        stale = draft.save_revision()
        french_home = self.fresh(self.fr_home_dg)
        french_home.acronym = "ZZZ"
        french_home.save_revision().publish()
        with self.assertRaises(ValidationError) as raised:
            stale.publish()
        self.assertEqual(
            raised.exception.message_dict["acronym"],
            ["ZZZ is already the acronym of 'DG HOME'. Each Directorate-General needs an acronym of its own."],
        )
        self.assertEqual(self.fresh(self.fr_echo).acronym, "ECHO")


class LoaderNamesTheDGsOfTheAreasLocaleTests(TempDirMixin, AcronymsPerLocaleTestCase):
    """A thematic area's fixture names its DGs by acronym; with a French DG HOME and DG ECHO on the
    site, an English area still means the English ones."""

    AREA = "/thematic-areas/emergency-preparedness-and-response/"
    AREA_FILE = "en/thematic-areas/emergency-preparedness-and-response.yaml"

    def test_an_english_area_is_linked_to_the_english_dgs(self):
        def change(data):
            data["summary"] = "Now with DG HOME too."
            data["directorates_general"] = ["ECHO", "HOME"]
            return data

        load(self.edit_fixture(self.AREA_FILE, change))
        named = page_at(self.AREA).directorates_general.all()
        self.assertEqual(
            sorted((dg.acronym, dg.locale.language_code) for dg in named), [("ECHO", "en"), ("HOME", "en")]
        )

    def test_an_acronym_only_a_french_dg_has_is_not_found_for_an_english_area(self):
        french_echo = self.fresh(self.fr_echo)
        french_echo.acronym = "MOVE"
        french_echo.save_revision().publish()
        before = row_counts()
        fixtures = self.edit_fixture(self.AREA_FILE, set_key("directorates_general", ["ECHO", "MOVE"]))
        with self.assertRaises(ContentError) as raised:
            load(fixtures)
        self.assertIn(
            f"{self.AREA_FILE}: directorates_general[1]: no Directorate-General page with acronym 'MOVE'",
            str(raised.exception),
        )
        self.assertEqual(row_counts(), before)
        self.assertEqual([dg.acronym for dg in page_at(self.AREA).directorates_general.all()], ["ECHO"])
