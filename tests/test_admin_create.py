"""Creating every page type through the Wagtail admin, as an editor would, and reading back what was saved.

Wagtail drops any posted block whose type the StreamField does not know, without an error, so each test
posts the real block names and then checks the saved blocks, their order and their values.
"""

import json
import re

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.fields import StreamField
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from partnership.blocks import PARAGRAPH_FEATURES
from partnership.models import (
    DirectorateGeneralIndexPage,
    DirectorateGeneralPage,
    FrameworkPage,
    PartnershipImage,
    PartnershipOverviewPage,
    StandardPage,
    ThematicAreaIndexPage,
    ThematicAreaPage,
)

from .factories import (
    DirectorateGeneralFactory,
    DirectorateGeneralIndexFactory,
    FrameworkFactory,
    OverviewFactory,
    StandardPageFactory,
    ThematicAreaIndexFactory,
)

TABLE = {
    "table_caption": "EU bodies in the framework",
    "table_header_choice": "row",
    "first_row_is_table_header": True,
    "first_col_is_header": False,
    "data": [["Acronym", "Role"], ["HOME", "Migration and home affairs"]],
}


def paragraph(html):
    """A paragraph block's form value, encoded by the editor the block really uses."""
    return rich_text(html, features=PARAGRAPH_FEATURES)


def source_without_block_keys(rich_text_value):
    """Draftail stamps every block with a random `data-block-key`; compare the markup without it."""
    return re.sub(r' data-block-key="[^"]*"', "", rich_text_value.source)


def page_form(model, fields):
    """The create form's data: `fields`, plus an empty list for each StreamField left out, as the editor posts."""
    fields = dict(fields)
    for field in model._meta.get_fields():
        if isinstance(field, StreamField):
            fields.setdefault(field.name, streamfield([]))
    return nested_form_data(fields)


def add_url(parent, model):
    return reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])


class AdminCreateTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_superuser(
            username="editor", email="editor@example.org", password="a-long-test-password"
        )
        cls.root = Page.get_first_root_node()

    def setUp(self):
        super().setUp()
        self.client.force_login(self.editor)

    def assertBlockTypes(self, stream_value, expected):
        # The guard against silently dropped blocks: every posted block is there, in the posted order.
        self.assertEqual([block.block_type for block in stream_value], expected)

    def post_refused(self, parent, model, data):
        """Post the create form, expecting it to be refused; return the bound form with its errors."""
        data = {**data, "action-publish": "action-publish"}
        response = self.client.post(add_url(parent, model), data)
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertTrue(form.errors)
        self.assertFalse(model.objects.filter(slug=data["slug"]).exists())
        return form


def make_overview():
    return OverviewFactory()


class CreateOverviewTests(AdminCreateTestCase):
    def test_create_the_overview_with_figures_milestones_and_body(self):
        data = page_form(
            PartnershipOverviewPage,
            {
                "title": "IOM and the European Union",
                "slug": "iom-eu",
                "summary": "Partners since 1994.",
                "key_figures": streamfield(
                    [
                        (
                            "key_figure",
                            {"value": "2,718.4", "unit": "USD million", "label": "EU funding", "source": "IOM, 2023"},
                        ),
                        ("key_figure", {"value": "175", "unit": "", "label": "member states", "source": ""}),
                    ]
                ),
                "milestones": streamfield(
                    [
                        ("milestone", {"date": "1994", "title": "Cooperation begins", "text": "A first agreement."}),
                        ("milestone", {"date": "July 2012", "title": "Framework signed", "text": ""}),
                    ]
                ),
                "body": streamfield(
                    [
                        ("heading", {"text": "How we work together", "level": "h2"}),
                        ("paragraph", paragraph("<p>IOM and the EU work <b>together</b>.</p>")),
                    ]
                ),
            },
        )
        self.assertCanCreate(self.root, PartnershipOverviewPage, data)

        page = PartnershipOverviewPage.objects.get(slug="iom-eu")
        self.assertTrue(page.live)
        self.assertEqual(page.get_parent().pk, self.root.pk)
        self.assertEqual(page.summary, "Partners since 1994.")

        self.assertBlockTypes(page.key_figures, ["key_figure", "key_figure"])
        first = page.key_figures[0].value
        self.assertEqual(
            (first["value"], first["unit"], first["label"], first["source"]),
            ("2,718.4", "USD million", "EU funding", "IOM, 2023"),
        )
        self.assertEqual(
            (page.key_figures[1].value["value"], page.key_figures[1].value["label"]), ("175", "member states")
        )

        self.assertBlockTypes(page.milestones, ["milestone", "milestone"])
        self.assertEqual(
            [(m.value["date"], m.value["title"]) for m in page.milestones],
            [("1994", "Cooperation begins"), ("July 2012", "Framework signed")],
        )
        self.assertEqual(page.milestones[0].value["text"], "A first agreement.")

        self.assertBlockTypes(page.body, ["heading", "paragraph"])
        self.assertEqual(page.body[0].value["text"], "How we work together")
        self.assertEqual(page.body[0].value["level"], "h2")
        self.assertEqual(source_without_block_keys(page.body[1].value), "<p>IOM and the EU work <b>together</b>.</p>")

    def test_a_key_figure_without_its_label_is_refused(self):
        data = page_form(
            PartnershipOverviewPage,
            {
                "title": "IOM and the European Union",
                "slug": "iom-eu",
                "summary": "Partners since 1994.",
                "key_figures": streamfield([("key_figure", {"value": "175", "unit": "", "label": "", "source": ""})]),
            },
        )
        form = self.post_refused(self.root, PartnershipOverviewPage, data)
        self.assertIn("key_figures", form.errors)
        errors = form.errors.as_data()["key_figures"][0].as_json_data()
        self.assertIn("label", errors["blockErrors"][0]["blockErrors"])


class CreateSectionTests(AdminCreateTestCase):
    """The pages that hang off the overview."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.overview = make_overview()
        cls.image = PartnershipImage.objects.create(
            title="Return flight", description="People boarding a plane on a sunny day.", file=get_test_image_file()
        )
        cls.document = Document.objects.create(
            title="Annual report", file=ContentFile(b"%PDF-1.4\n", name="report.pdf")
        )

    def test_create_the_framework_page_with_dialogues(self):
        data = page_form(
            FrameworkPage,
            {
                "title": "Strategic Cooperation Framework",
                "slug": "framework",
                "summary": "How IOM and the EU cooperate.",
                "established": "July 2012",
                "dialogues": streamfield(
                    [
                        (
                            "dialogue",
                            {
                                "name": "Senior Officials Meeting",
                                "frequency": "Every year",
                                "description": "Senior officials review the cooperation.",
                            },
                        ),
                        (
                            "dialogue",
                            {"name": "Desk-to-desk", "frequency": "Twice a year", "description": "Staff meet."},
                        ),
                    ]
                ),
                "body": streamfield(
                    [("quote", {"quote": "We work as partners.", "attribution": "Director General, 2012"})]
                ),
            },
        )
        self.assertCanCreate(self.overview, FrameworkPage, data)

        page = FrameworkPage.objects.get(slug="framework")
        self.assertEqual(page.get_parent().pk, self.overview.pk)
        self.assertEqual(page.established, "July 2012")
        self.assertBlockTypes(page.dialogues, ["dialogue", "dialogue"])
        dialogue = page.dialogues[0].value
        self.assertEqual(
            (dialogue["name"], dialogue["frequency"], dialogue["description"]),
            ("Senior Officials Meeting", "Every year", "Senior officials review the cooperation."),
        )
        self.assertEqual(page.dialogues[1].value["frequency"], "Twice a year")
        self.assertBlockTypes(page.body, ["quote"])
        self.assertEqual(page.body[0].value["quote"], "We work as partners.")
        self.assertEqual(page.body[0].value["attribution"], "Director General, 2012")

    def test_the_framework_page_needs_its_date(self):
        data = page_form(FrameworkPage, {"title": "Framework", "slug": "framework", "summary": "S.", "established": ""})
        form = self.post_refused(self.overview, FrameworkPage, data)
        self.assertIn("established", form.errors)

    def test_create_the_directorates_general_index(self):
        data = page_form(
            DirectorateGeneralIndexPage,
            {
                "title": "Directorates-General",
                "slug": "directorates-general",
                "summary": "The EU bodies IOM works with.",
                "body": streamfield(
                    [("key_figure", {"value": "12", "unit": "", "label": "EU bodies", "source": "IOM"})]
                ),
            },
        )
        self.assertCanCreate(self.overview, DirectorateGeneralIndexPage, data)

        page = DirectorateGeneralIndexPage.objects.get(slug="directorates-general")
        self.assertEqual(page.get_parent().pk, self.overview.pk)
        self.assertBlockTypes(page.body, ["key_figure"])
        self.assertEqual((page.body[0].value["value"], page.body[0].value["label"]), ("12", "EU bodies"))

    def test_create_the_thematic_areas_index(self):
        data = page_form(
            ThematicAreaIndexPage,
            {
                "title": "Thematic areas",
                "slug": "thematic-areas",
                "summary": "What IOM and the EU work on.",
                "body": streamfield([("table", json.dumps(TABLE))]),
            },
        )
        self.assertCanCreate(self.overview, ThematicAreaIndexPage, data)

        page = ThematicAreaIndexPage.objects.get(slug="thematic-areas")
        self.assertBlockTypes(page.body, ["table"])
        table = page.body[0].value
        self.assertEqual(table["data"], TABLE["data"])
        self.assertEqual(table["table_caption"], "EU bodies in the framework")
        self.assertTrue(table["first_row_is_table_header"])

    def test_create_a_standard_page_with_every_body_block(self):
        data = page_form(
            StandardPage,
            {
                "title": "About the partnership",
                "slug": "about",
                "summary": "Who we are.",
                "social_image": self.image.pk,
                "body": streamfield(
                    [
                        ("heading", {"text": "Our history", "level": "h3"}),
                        (
                            "paragraph",
                            paragraph('<p>Read <i>more</i> on <a href="https://www.iom.int/">the IOM site</a>.</p>'),
                        ),
                        ("image", {"image": self.image.pk, "caption": "Arrival in Dakar"}),
                        ("quote", {"quote": "Migration is a fact of life.", "attribution": "IOM"}),
                        ("key_figure", {"value": "30", "unit": "years", "label": "of cooperation", "source": ""}),
                        (
                            "call_to_action",
                            {
                                "title": "Back to the overview",
                                "text": "",
                                "page": self.overview.pk,
                                "url": "",
                                "link_text": "The partnership at a glance",
                            },
                        ),
                        (
                            "call_to_action",
                            {
                                "title": "Visit IOM",
                                "text": "The organisation's own site.",
                                "page": "",
                                "url": "https://www.iom.int/",
                                "link_text": "IOM's website",
                            },
                        ),
                        ("document", {"document": self.document.pk, "title": "Read the report"}),
                        ("table", json.dumps(TABLE)),
                    ]
                ),
            },
        )
        self.assertCanCreate(self.overview, StandardPage, data)

        page = StandardPage.objects.get(slug="about")
        self.assertEqual(page.social_image, self.image)
        body = page.body
        self.assertBlockTypes(
            body,
            [
                "heading",
                "paragraph",
                "image",
                "quote",
                "key_figure",
                "call_to_action",
                "call_to_action",
                "document",
                "table",
            ],
        )
        self.assertEqual((body[0].value["text"], body[0].value["level"]), ("Our history", "h3"))
        self.assertEqual(
            source_without_block_keys(body[1].value),
            '<p>Read <i>more</i> on <a href="https://www.iom.int/">the IOM site</a>.</p>',
        )
        self.assertEqual(body[2].value["image"], self.image)
        self.assertEqual(body[2].value["caption"], "Arrival in Dakar")
        self.assertEqual(body[3].value["attribution"], "IOM")
        self.assertEqual((body[4].value["value"], body[4].value["unit"]), ("30", "years"))
        self.assertEqual(body[5].value["page"].specific, self.overview)
        self.assertFalse(body[5].value["url"])
        self.assertIsNone(body[6].value["page"])
        self.assertEqual(body[6].value["url"], "https://www.iom.int/")
        self.assertEqual(body[6].value["link_text"], "IOM's website")
        self.assertEqual(body[7].value["document"], self.document)
        self.assertEqual(body[7].value["title"], "Read the report")
        self.assertEqual(body[8].value["data"], TABLE["data"])

    def test_a_paragraph_keeps_only_the_features_it_allows(self):
        # Headings are their own block: a heading typed into a paragraph must not survive into the page.
        data = page_form(
            StandardPage,
            {
                "title": "Where we work",
                "slug": "where-we-work",
                "summary": "Around the world.",
                "body": streamfield([("paragraph", rich_text("<h2>Regions</h2><p>Everywhere.</p>"))]),
            },
        )
        self.assertCanCreate(self.overview, StandardPage, data)
        page = StandardPage.objects.get(slug="where-we-work")
        self.assertBlockTypes(page.body, ["paragraph"])
        source = source_without_block_keys(page.body[0].value)
        self.assertNotIn("<h2", source)
        self.assertIn("Everywhere.", source)

    def test_a_call_to_action_with_both_a_page_and_an_address_is_refused(self):
        self.assertCallToActionRefused(page=self.overview.pk, url="https://www.iom.int/")

    def test_a_call_to_action_with_neither_a_page_nor_an_address_is_refused(self):
        self.assertCallToActionRefused(page="", url="")

    def assertCallToActionRefused(self, page, url):
        data = page_form(
            StandardPage,
            {
                "title": "Get involved",
                "slug": "get-involved",
                "summary": "How to take part.",
                "body": streamfield(
                    [
                        ("heading", {"text": "Take part", "level": "h2"}),
                        (
                            "call_to_action",
                            {"title": "Go", "text": "", "page": page, "url": url, "link_text": "Where to go"},
                        ),
                    ]
                ),
            },
        )
        form = self.post_refused(self.overview, StandardPage, data)
        self.assertEqual(set(form.errors), {"body"})
        errors = form.errors.as_data()["body"][0].as_json_data()
        # The error sits on the second block (the call to action), on its page field, where the editor sees it.
        self.assertEqual(set(errors["blockErrors"]), {1})
        self.assertEqual(set(errors["blockErrors"][1]["blockErrors"]), {"page"})
        self.assertTrue(errors["blockErrors"][1]["blockErrors"]["page"]["messages"])
        self.assertFalse(Page.objects.filter(slug="get-involved").exists())


class CreateLeafPageTests(AdminCreateTestCase):
    """Directorate-General, thematic area and nested standard pages, in a tree that already has its sections."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.overview = make_overview()
        FrameworkFactory(parent=cls.overview)
        cls.dg_index = DirectorateGeneralIndexFactory(parent=cls.overview)
        cls.area_index = ThematicAreaIndexFactory(parent=cls.overview)
        cls.home = DirectorateGeneralFactory(parent=cls.dg_index, acronym="HOME", title="Migration and Home Affairs")
        cls.intpa = DirectorateGeneralFactory(parent=cls.dg_index, acronym="INTPA", title="International Partnerships")
        cls.echo = DirectorateGeneralFactory(parent=cls.dg_index, acronym="ECHO", title="Humanitarian Aid")
        cls.about = StandardPageFactory(parent=cls.overview, title="About")
        cls.image = PartnershipImage.objects.create(
            title="Border post", description="A border post at dawn.", file=get_test_image_file()
        )

    def dg_data(self, **overrides):
        data = {
            "title": "European External Action Service",
            "slug": "eeas",
            "summary": "The EU's diplomatic service.",
            "acronym": "EEAS",
            "full_name": "European External Action Service",
            "kind": DirectorateGeneralPage.EEAS,
            "framework_member": "on",
            "remit": "The EU's foreign and security policy.",
            "website": "https://www.eeas.europa.eu/",
            "body": streamfield([("heading", {"text": "What the EEAS does", "level": "h2"})]),
        }
        data.update(overrides)
        return page_form(DirectorateGeneralPage, data)

    def test_create_a_directorate_general_page(self):
        self.assertCanCreate(self.dg_index, DirectorateGeneralPage, self.dg_data())

        page = DirectorateGeneralPage.objects.get(slug="eeas")
        self.assertEqual(page.get_parent().pk, self.dg_index.pk)
        self.assertEqual(page.acronym, "EEAS")
        self.assertEqual(page.kind, DirectorateGeneralPage.EEAS)
        self.assertTrue(page.framework_member)
        self.assertEqual(page.remit, "The EU's foreign and security policy.")
        self.assertEqual(page.website, "https://www.eeas.europa.eu/")
        self.assertBlockTypes(page.body, ["heading"])
        self.assertEqual(page.body[0].value["text"], "What the EEAS does")

    def test_a_lower_case_acronym_is_refused(self):
        form = self.post_refused(self.dg_index, DirectorateGeneralPage, self.dg_data(acronym="eeas"))
        self.assertEqual(set(form.errors), {"acronym"})
        self.assertIn("Use capital letters only, e.g. HOME.", form.errors["acronym"])

    def test_an_acronym_with_other_characters_is_refused(self):
        for acronym in ("E", "EE-AS", "EEAS2", "ÉEAS", "ABCDEFGHIJKLM"):
            with self.subTest(acronym=acronym):
                form = self.post_refused(self.dg_index, DirectorateGeneralPage, self.dg_data(acronym=acronym))
                self.assertIn("acronym", form.errors)

    def test_a_duplicate_acronym_is_refused(self):
        form = self.post_refused(self.dg_index, DirectorateGeneralPage, self.dg_data(acronym="HOME"))
        self.assertEqual(set(form.errors), {"acronym"})
        self.assertEqual(DirectorateGeneralPage.objects.filter(acronym="HOME").count(), 1)

    def test_create_a_thematic_area_page_linked_to_directorates_general(self):
        data = page_form(
            ThematicAreaPage,
            {
                "title": "Return and reintegration",
                "slug": "return-and-reintegration",
                "summary": "Helping migrants return in safety and dignity.",
                "group": ThematicAreaPage.FUNDED_2013_2023,
                "image": self.image.pk,
                "body": streamfield(
                    [
                        ("heading", {"text": "Why it matters", "level": "h2"}),
                        ("paragraph", paragraph("<p>Return must be <b>safe</b>.</p>")),
                    ]
                ),
            },
        )
        # A multiple choice posts one value per ticked box, which nested_form_data cannot express.
        data["directorates_general"] = [str(self.home.pk), str(self.intpa.pk)]
        self.assertCanCreate(self.area_index, ThematicAreaPage, data)

        area = ThematicAreaPage.objects.get(slug="return-and-reintegration")
        self.assertEqual(area.get_parent().pk, self.area_index.pk)
        self.assertEqual(area.group, ThematicAreaPage.FUNDED_2013_2023)
        self.assertEqual(area.image, self.image)
        self.assertEqual(set(area.directorates_general.all()), {self.home, self.intpa})
        self.assertEqual([dg.pk for dg in area.get_directorates_general()], [self.home.pk, self.intpa.pk])
        # The other side of the relation, which each DG page lists.
        self.assertEqual(list(DirectorateGeneralPage.objects.get(pk=self.home.pk).thematic_areas.all()), [area])
        self.assertEqual(list(DirectorateGeneralPage.objects.get(pk=self.home.pk).get_thematic_areas()), [area])
        self.assertFalse(DirectorateGeneralPage.objects.get(pk=self.echo.pk).thematic_areas.exists())
        self.assertBlockTypes(area.body, ["heading", "paragraph"])
        self.assertEqual(source_without_block_keys(area.body[1].value), "<p>Return must be <b>safe</b>.</p>")

    def test_a_thematic_area_needs_its_group(self):
        data = page_form(
            ThematicAreaPage, {"title": "Health", "slug": "health", "summary": "Migration health.", "group": ""}
        )
        form = self.post_refused(self.area_index, ThematicAreaPage, data)
        self.assertIn("group", form.errors)

    def test_create_a_standard_page_under_another(self):
        data = page_form(
            StandardPage,
            {
                "title": "Our history",
                "slug": "history",
                "summary": "Thirty years.",
                "body": streamfield([("heading", {"text": "1994", "level": "h2"})]),
            },
        )
        self.assertCanCreate(self.about, StandardPage, data)
        page = StandardPage.objects.get(slug="history")
        self.assertEqual(page.get_parent().pk, self.about.pk)
        self.assertBlockTypes(page.body, ["heading"])
        self.assertEqual(page.body[0].value["text"], "1994")

    def test_no_second_framework_or_index_through_the_admin(self):
        # max_count reaches the admin: the add view for a second one turns the editor away, even on a POST.
        for model in (FrameworkPage, DirectorateGeneralIndexPage, ThematicAreaIndexPage):
            with self.subTest(model=model.__name__):
                response = self.client.get(add_url(self.overview, model))
                self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
                data = page_form(model, {"title": "Again", "slug": "again", "summary": "A second one."})
                data["established"] = "2012"
                data["action-publish"] = "action-publish"
                response = self.client.post(add_url(self.overview, model), data)
                self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
                self.assertEqual(model.objects.count(), 1)
                self.assertFalse(Page.objects.filter(slug="again").exists())
