"""Deleting pages: Editors never do, whoever owns the page and whether or not it is live; Moderators
and Administrators do. Checked in every place the admin offers it: the page listing, the editor's
action menu, the delete view and the bulk delete."""

from django.urls import reverse
from wagtail.models import Page, Revision

from partnership.models import StandardPage

from .test_roles import RoleTestCase
from .utils import page_at


class PageDeletionTestCase(RoleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.parent = page_at("/who-we-are/")
        # Someone else's page that was never published: Wagtail lets anyone with "change" delete it.
        cls.draft = cls.parent.add_child(
            instance=StandardPage(
                title="A draft by a moderator", summary="Not yet published.", live=False, owner=cls.users["moderator"]
            )
        )
        cls.draft.save_revision(user=cls.users["moderator"])

    def delete_url(self, page):
        return reverse("wagtailadmin_pages:delete", args=[page.pk])

    def bulk_delete_url(self, page):
        return reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete")) + f"?id={page.pk}"

    def exists(self, page):
        return Page.objects.filter(pk=page.pk).exists()


class EditorsDoNotDeletePagesTests(PageDeletionTestCase):
    def test_the_page_listing_offers_an_editor_no_delete(self):
        self.as_role("editor")
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.parent.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.draft.title)
        for page in Page.objects.child_of(self.parent):
            with self.subTest(page.title):
                self.assertNotContains(response, self.delete_url(page))

    def test_the_action_menu_offers_an_editor_no_delete(self):
        self.as_role("editor")
        for page in (self.draft, page_at("/who-we-are/about/")):
            with self.subTest(page.title):
                response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, self.delete_url(page))

    def test_the_delete_view_refuses_an_editor(self):
        self.as_role("editor")
        revisions = Revision.page_revisions.filter(object_id=str(self.draft.pk)).count()
        for method in (self.client.get, self.client.post):
            with self.subTest(method.__name__):
                response = method(self.delete_url(self.draft), follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Sorry, you do not have permission")
        self.assertTrue(self.exists(self.draft))
        self.assertEqual(Revision.page_revisions.filter(object_id=str(self.draft.pk)).count(), revisions)

    def test_the_bulk_delete_refuses_an_editor(self):
        self.as_role("editor")
        confirm = self.client.get(self.bulk_delete_url(self.draft))
        self.assertContains(confirm, "You don't have permission to delete")
        self.client.post(self.bulk_delete_url(self.draft))
        self.assertTrue(self.exists(self.draft))

    def test_an_editor_cannot_delete_their_own_draft_either(self):
        self.as_role("editor")
        own = self.parent.add_child(
            instance=StandardPage(title="The editor's draft", summary="Mine.", live=False, owner=self.users["editor"])
        )
        self.client.post(self.delete_url(own))
        self.client.post(self.bulk_delete_url(own))
        self.assertTrue(self.exists(own))

    def test_an_editor_may_still_move_a_page_that_is_not_live(self):
        self.as_role("editor")
        response = self.client.get(reverse("wagtailadmin_pages:move", args=[self.draft.pk]))
        self.assertEqual(response.status_code, 200)


class ModeratorsDeletePagesTests(PageDeletionTestCase):
    def test_a_moderator_is_offered_delete_and_deletes_a_page(self):
        for role in ("moderator", "administrator"):
            with self.subTest(role):
                page = self.parent.add_child(
                    instance=StandardPage(title=f"To be deleted by the {role}", summary="Soon gone.", live=False)
                )
                self.as_role(role)
                listing = self.client.get(reverse("wagtailadmin_explore", args=[self.parent.pk]))
                self.assertContains(listing, self.delete_url(page))
                editor = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
                self.assertContains(editor, self.delete_url(page))
                self.client.post(self.delete_url(page))
                self.assertFalse(self.exists(page))

    def test_a_moderator_deletes_a_live_page_in_bulk(self):
        page = page_at("/our-work/take-action/")
        self.as_role("moderator")
        self.client.post(self.bulk_delete_url(page))
        self.assertFalse(self.exists(page))
