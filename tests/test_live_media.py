"""Images and documents on the live site: an Editor's change to one reaches visitors only through a
Moderator. Every check goes through the admin's real views and reads back the database and the
public page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from partnership.models import PartnershipImage

from .test_roles import RoleTestCase
from .utils import page_at, soup

FRAMEWORK = "/framework/"
REFUSAL = "only a Moderator can change or delete it"


def png_upload(name="new.png", colour="#ff0000"):
    return SimpleUploadedFile(name, get_test_image_file(colour=colour).file.getvalue())


def bulk_url(model, action, objects):
    url = reverse("wagtail_bulk_action", args=(model._meta.app_label, model._meta.model_name, action))
    query = "&".join(f"id={obj.pk}" for obj in objects)
    return f"{url}?{query}"


def messages_text(response):
    return " ".join(" ".join(item.get_text().split()) for item in soup(response).select(".messages li"))


class LiveMediaTestCase(RoleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The loaded site shows this image on the framework page as its social-media picture: a
        # ForeignKey, which Wagtail's reference index records as it records a body's image blocks.
        cls.live_image = PartnershipImage.objects.get(file__contains="framework-members")
        cls.new_collection = Collection.get_first_root_node().add_child(name="Archive")

    def image_data(self, image, **changes):
        data = {
            "title": image.title,
            "description": image.description,
            "collection": str(image.collection_id),
            "tags": "",
        }
        data.update(changes)
        return data

    def framework_alt_texts(self):
        """The image descriptions the framework page gives visitors and link previews."""
        self.client.logout()
        html = soup(self.client.get(FRAMEWORK))
        shared = html.select('meta[property="og:image:alt"], meta[name="twitter:image:alt"]')
        return [meta["content"] for meta in shared] + [img.get("alt") for img in html.select("main img")]

    def assert_image_unchanged(self, image):
        stored = PartnershipImage.objects.get(pk=image.pk)
        self.assertEqual(
            (stored.title, stored.description, stored.file.name, stored.collection_id, list(stored.tags.all())),
            (image.title, image.description, image.file.name, image.collection_id, []),
        )


class EditorAndLiveImageTests(LiveMediaTestCase):
    def test_an_editor_cannot_change_the_description_of_an_image_on_a_live_page(self):
        image = self.live_image
        self.as_role("editor")
        response = self.client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            self.image_data(image, description="Changed without moderation."),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(REFUSAL, messages_text(response))
        self.assertIn("Strategic Cooperation Framework", messages_text(response))  # the page it is on
        self.assert_image_unchanged(image)
        self.assertIn(image.description, self.framework_alt_texts())
        self.assertNotIn("Changed without moderation.", self.framework_alt_texts())

    def test_an_image_in_a_live_pages_body_is_guarded_too(self):
        image = PartnershipImage.objects.create(
            title="Border post", description="A border post at dawn.", file=get_test_image_file()
        )
        page = page_at(FRAMEWORK)
        page.body.append(("image", {"image": image, "caption": ""}))
        page.save_revision(user=self.users["moderator"]).publish()
        self.assertIn("A border post at dawn.", self.framework_alt_texts())
        self.as_role("editor")
        response = self.client.post(
            reverse("wagtailimages:edit", args=[image.pk]), self.image_data(image, description="Unmoderated.")
        )
        self.assertIn(REFUSAL, messages_text(response))
        self.assert_image_unchanged(image)

    def test_an_editor_cannot_replace_the_file_of_an_image_on_a_live_page(self):
        image = self.live_image
        self.as_role("editor")
        response = self.client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {**self.image_data(image), "file": png_upload()},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(REFUSAL, messages_text(response))
        self.assert_image_unchanged(image)

    def test_an_editor_sees_why_the_edit_form_of_a_live_image_is_read_only(self):
        self.as_role("editor")
        response = self.client.get(reverse("wagtailimages:edit", args=[self.live_image.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn(REFUSAL, messages_text(response))
        self.assertIsNotNone(
            soup(response).select_one("textarea[name=description][disabled], input[name=description][disabled]")
        )

    def test_an_editor_cannot_delete_an_image_on_a_live_page(self):
        image = self.live_image
        self.as_role("editor")
        url = reverse("wagtailimages:delete", args=[image.pk])
        self.assertRedirects(
            self.client.get(url), reverse("wagtailimages:edit", args=[image.pk]), fetch_redirect_response=False
        )
        response = self.client.post(url, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn(REFUSAL, messages_text(response))
        # The upload page's own delete, meant for what was just uploaded, asks the same rule.
        self.client.post(reverse("wagtailimages:delete_multiple", args=[image.pk]))
        self.assertTrue(PartnershipImage.objects.filter(pk=image.pk).exists())
        self.assertIn(image.description, self.framework_alt_texts())

    def test_an_editor_cannot_delete_tag_or_move_a_live_image_in_bulk(self):
        image = self.live_image
        self.as_role("editor")
        self.client.post(bulk_url(PartnershipImage, "delete", [image]))
        self.client.post(bulk_url(PartnershipImage, "add_tags", [image]), {"tags": "unmoderated"})
        self.client.post(
            bulk_url(PartnershipImage, "add_to_collection", [image]), {"collection": str(self.new_collection.pk)}
        )
        self.assert_image_unchanged(image)

    def test_an_editor_still_lists_chooses_and_sees_the_usage_of_live_images(self):
        self.as_role("editor")
        for url in (
            reverse("wagtailimages:index"),
            reverse("wagtailimages_chooser:choose"),
            reverse("wagtailimages:image_usage", args=[self.live_image.pk]),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, self.live_image.title)


class EditorsOwnImageTests(LiveMediaTestCase):
    def upload_as_editor(self):
        self.as_role("editor")
        self.client.post(
            reverse("wagtailimages:add"),
            {"title": "Editor's own", "description": "A test image.", "file": png_upload("own.png"), "collection": "1"},
        )
        return PartnershipImage.objects.get(title="Editor's own")

    def test_an_editor_changes_their_own_image_that_no_live_page_shows(self):
        image = self.upload_as_editor()
        response = self.client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {**self.image_data(image, description="Described better."), "file": png_upload("own2.png", "#00ff00")},
        )
        self.assertEqual(response.status_code, 302)
        image.refresh_from_db()
        self.assertEqual(image.description, "Described better.")
        self.assertIn("own2", image.file.name)

    def test_an_editor_deletes_their_own_image_that_no_live_page_shows(self):
        image = self.upload_as_editor()
        self.client.post(reverse("wagtailimages:delete", args=[image.pk]))
        self.assertFalse(PartnershipImage.objects.filter(pk=image.pk).exists())

    def test_an_editor_tags_their_own_image_in_bulk(self):
        image = self.upload_as_editor()
        self.client.post(bulk_url(PartnershipImage, "add_tags", [image]), {"tags": "mine"})
        self.assertEqual([tag.name for tag in image.tags.all()], ["mine"])


class ModeratorAndLiveImageTests(LiveMediaTestCase):
    def test_a_moderator_changes_an_image_on_a_live_page(self):
        for role in ("moderator", "administrator"):
            with self.subTest(role):
                self.as_role(role)
                response = self.client.post(
                    reverse("wagtailimages:edit", args=[self.live_image.pk]),
                    self.image_data(self.live_image, description=f"Described by the {role}."),
                )
                self.assertEqual(response.status_code, 302)
                self.assertIn(f"Described by the {role}.", self.framework_alt_texts())

    def test_a_moderator_deletes_an_image_on_a_live_page(self):
        self.as_role("moderator")
        self.client.post(reverse("wagtailimages:delete", args=[self.live_image.pk]))
        self.assertFalse(PartnershipImage.objects.filter(pk=self.live_image.pk).exists())


class LiveDocumentTests(LiveMediaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Document = get_document_model()
        cls.document = Document.objects.create(
            title="Annual report", file=SimpleUploadedFile("report.csv", b"year,value\n2024,1\n")
        )
        cls.unused = Document.objects.create(title="Unused", file=SimpleUploadedFile("unused.csv", b"a,b\n"))
        page = page_at(FRAMEWORK)
        page.body.append(("document", {"document": cls.document, "title": ""}))
        page.save_revision(user=cls.users["moderator"]).publish()

    def document_data(self, document, **changes):
        return {"title": document.title, "collection": str(document.collection_id), "tags": "", **changes}

    def framework_text(self):
        self.client.logout()
        return soup(self.client.get(FRAMEWORK)).main.get_text()

    def test_an_editor_cannot_change_replace_or_delete_a_document_on_a_live_page(self):
        document = self.document
        self.as_role("editor")
        edit_url = reverse("wagtaildocs:edit", args=[document.pk])
        for label, data in {
            "title": self.document_data(document, title="Renamed without moderation"),
            "file": {**self.document_data(document), "file": SimpleUploadedFile("other.csv", b"x\n")},
        }.items():
            with self.subTest(label):
                response = self.client.post(edit_url, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(REFUSAL, messages_text(response))
        response = self.client.post(reverse("wagtaildocs:delete", args=[document.pk]), follow=True)
        self.assertIn(REFUSAL, messages_text(response))
        Document = get_document_model()
        self.client.post(bulk_url(Document, "delete", [document]))
        self.client.post(bulk_url(Document, "add_tags", [document]), {"tags": "unmoderated"})
        stored = Document.objects.get(pk=document.pk)
        self.assertEqual(
            (stored.title, stored.file.name, list(stored.tags.all())), (document.title, document.file.name, [])
        )
        self.assertIn("Annual report", self.framework_text())

    def test_an_editor_changes_a_document_no_live_page_shows(self):
        self.as_role("editor")
        self.client.post(
            reverse("wagtaildocs:edit", args=[self.unused.pk]), self.document_data(self.unused, title="Renamed")
        )
        self.unused.refresh_from_db()
        self.assertEqual(self.unused.title, "Renamed")

    def test_a_moderator_changes_a_document_on_a_live_page(self):
        self.as_role("moderator")
        response = self.client.post(
            reverse("wagtaildocs:edit", args=[self.document.pk]),
            self.document_data(self.document, title="Annual report 2024"),
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("Annual report 2024", self.framework_text())

    def test_an_editor_still_lists_and_chooses_documents(self):
        self.as_role("editor")
        for url in (reverse("wagtaildocs:index"), reverse("wagtaildocs_chooser:choose")):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Annual report")
