"""A Directorate-General's acronym is its own: the admin says so in the form, never with a server
error, and keeps what the editor typed. Through the real copy, create and edit views."""

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from partnership.models import DirectorateGeneralPage

from .test_roles import make_user
from .utils import LoadedSiteMixin, edit_form_data, page_at, soup

DG_INDEX = "/directorates-general/"
ECHO = "/directorates-general/echo/"


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
