"""Every block renders through its own template and shows editors a preview in the block picker."""

from django.template.loader import get_template
from django.test import TestCase
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils import WagtailTestUtils

from partnership.blocks import SocialLinkBlock
from partnership.models import FooterSettings, FrameworkPage, PartnershipImage, PartnershipOverviewPage, StandardPage


def stream_blocks(model, field_name):
    return model._meta.get_field(field_name).stream_block.child_blocks


# The block instances the admin really offers, by the names editors see.
ALL_BLOCKS = {
    **stream_blocks(StandardPage, "body"),
    **stream_blocks(PartnershipOverviewPage, "key_figures"),
    **stream_blocks(PartnershipOverviewPage, "milestones"),
    **stream_blocks(FrameworkPage, "dialogues"),
    **stream_blocks(FooterSettings, "social_links"),
}


class BlockPreviewTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.image = PartnershipImage.objects.create(
            title="Preview", description="A blue square used in tests.", file=get_test_image_file()
        )
        cls.document = get_document_model().objects.create(title="Annual report")

    def setUp(self):
        self.login()

    def test_every_block_has_a_template_a_description_and_a_preview(self):
        self.assertEqual(len(ALL_BLOCKS), 11)  # key_figure is shared by the body and the overview
        for name, block in ALL_BLOCKS.items():
            with self.subTest(name):
                self.assertTrue(block.get_description(), "a description for editors")
                get_template(block.meta.template)  # raises if the template is missing
                self.assertTrue(block.is_previewable)
                response = self.client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
                self.assertEqual(response.status_code, 200)
                # The preview shows the block itself, with the site's own stylesheet.
                self.assertContains(response, "css/site.css")
                self.assertContains(response, f'w-block-{name} block-{name}"')

    def test_previews_show_their_sample_content(self):
        expectations = {
            "heading": "How the partnership works",
            "key_figure": "member states of IOM",
            "milestone": "Cooperation is formalised",
            "image": 'alt="A blue square used in tests."',
        }
        for name, text in expectations.items():
            with self.subTest(name):
                block = ALL_BLOCKS[name]
                response = self.client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
                self.assertContains(response, text)


class StaffFacingBlockTests(WagtailTestUtils, TestCase):
    def setUp(self):
        self.login()

    def test_the_document_blocks_preview_shows_a_sample_when_the_library_is_empty(self):
        self.assertFalse(get_document_model().objects.exists())
        block = ALL_BLOCKS["document"]
        response = self.client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
        self.assertContains(response, "Annual report 2024")
        self.assertContains(response, "Upload one under Documents")

    def test_the_social_links_address_is_labelled_for_people(self):
        self.assertEqual(SocialLinkBlock().child_blocks["url"].label, "Address (URL)")
