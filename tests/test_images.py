"""Images: responsive pictures with modern formats, and every rendition made before visitors ask."""

from django.test import TestCase
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from partnership.models import PartnershipImage, PartnershipRendition
from partnership.renditions import PICTURE_SPECS, SOCIAL_SPECS, images_on_pages

from .factories import StandardPageFactory, site_tree
from .utils import live_pages, page_at, run_command, soup


class RenditionsMadeByLoadContentTests(TestCase):
    def test_load_content_makes_every_rendition_the_pages_use(self):
        output = run_command("load_content")
        images = list(images_on_pages())
        self.assertEqual(len(images), PartnershipImage.objects.count())
        self.assertGreaterEqual(len(images), 1)
        made = PartnershipRendition.objects.count()
        self.assertEqual(made, len(images) * len(PICTURE_SPECS + SOCIAL_SPECS))
        self.assertIn(f"Image renditions: {made} made", output)

        # Visitors then read every page: if a template asked for a size or format that was not
        # made ahead, Wagtail would make it now, in the visitor's request.
        for page in live_pages():
            with self.subTest(page.url):
                self.assertEqual(self.client.get(page.url).status_code, 200)
        self.assertEqual(PartnershipRendition.objects.count(), made)

        self.assertIn("Image renditions: 0 made", run_command("load_content"))

    def test_a_social_image_chosen_in_the_admin_is_made_by_the_next_load(self):
        run_command("load_content")
        page = page_at("/thematic-areas/protection/")
        page.social_image = PartnershipImage.objects.first()
        page.save_revision().publish()
        before = PartnershipRendition.objects.count()
        run_command("load_content")
        self.assertEqual(PartnershipRendition.objects.count(), before)  # the image already had its sizes
        response = self.client.get("/thematic-areas/protection/")
        self.assertIn("fill-1200x630", soup(response).find("meta", property="og:image")["content"])
        self.assertEqual(PartnershipRendition.objects.count(), before)

    def test_pictures_added_in_the_admin_are_made_by_the_next_load(self):
        """The fixtures' pages show no picture (their one image is a social-media picture), so a
        body image and a thematic area's image are added here, as staff would."""
        run_command("load_content")
        image = PartnershipImage.objects.create(
            title="Border post", description="A border post at dawn.", file=get_test_image_file(size=(1600, 900))
        )
        page = page_at("/thematic-areas/protection/")
        page.image = image
        page.body.append(("image", {"image": image, "caption": "Dawn."}))
        page.save_revision().publish()
        self.assertIn(f"Image renditions: {len(PICTURE_SPECS + SOCIAL_SPECS)} made", run_command("load_content"))
        made = PartnershipRendition.objects.count()
        main = soup(self.client.get("/thematic-areas/protection/")).main
        self.assertEqual(len(main.find_all("picture")), 2)
        self.assertEqual(PartnershipRendition.objects.count(), made)

    def test_a_dry_run_makes_no_rendition(self):
        run_command("load_content", "--dry-run")
        self.assertEqual(PartnershipRendition.objects.count(), 0)


class PictureMarkupTests(TestCase):
    """A body image, on a page built here: the site's own pages draw their diagrams from their data
    and use the fixtures' one image as a social-media picture only."""

    @classmethod
    def setUpTestData(cls):
        tree = site_tree()
        Site.objects.filter(is_default_site=True).update(root_page=tree["overview"])
        cls.image = PartnershipImage.objects.create(
            title="Border post", description="A border post at dawn.", file=get_test_image_file(size=(1600, 900))
        )
        cls.page = StandardPageFactory(
            parent=tree["overview"], title="With a picture", body=[("image", {"image": cls.image, "caption": "Dawn."})]
        )

    def test_body_images_are_pictures_with_avif_webp_srcset_size_and_lazy_loading(self):
        picture = soup(self.client.get(self.page.url)).main.find("picture")
        self.assertIsNotNone(picture)
        types = [source["type"] for source in picture.find_all("source")]
        self.assertEqual(types, ["image/avif", "image/webp"])
        for source in picture.find_all("source"):
            self.assertEqual(len(source["srcset"].split(",")), 3)
            self.assertIn("sizes", source.attrs)
        img = picture.find("img")
        self.assertTrue(int(img["width"]) > 0 and int(img["height"]) > 0)
        self.assertEqual(len(img["srcset"].split(",")), 3)
        self.assertEqual(img["loading"], "lazy")
        self.assertEqual(img["alt"], "A border post at dawn.")
        self.assertTrue(img["src"].endswith(".jpg"))

    def test_the_media_route_serves_images_and_nothing_else(self):
        """Tests, `make run` and the screenshots serve uploads through Django (SERVE_MEDIA or DEBUG);
        production serves them from the web server or the bucket."""
        img = soup(self.client.get(self.page.url)).main.find("picture").find("img")
        response = self.client.get(img["src"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertTrue(b"".join(response.streaming_content).startswith(b"\xff\xd8"))
        original = self.image.file.url
        self.assertEqual(self.client.get(original).status_code, 200)
        self.assertIn(self.client.get("/media/original_images/../../../etc/passwd").status_code, (400, 404))
        for path in ("/media/original_images/no-such-file.png", "/media/documents/anything.pdf"):
            with self.subTest(path):
                self.assertEqual(self.client.get(path).status_code, 404)
