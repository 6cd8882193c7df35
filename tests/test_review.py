"""The review loop between an Editor and a Moderator, through the admin's real views: the Editor
sees who asked for changes, when and what, at the top of the editor until they submit again; the
Moderator compares the version now submitted with the one they reviewed, not with the draft saved a
second before the submission."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState
from wagtail.test.utils import WagtailTestUtils

from .utils import LoadedSiteMixin, edit_form_data, page_at, soup

AREA = "/thematic-areas/protection/"
COMMENT = "Please cite the source of this figure."


def make_user(username, group, first_name, last_name):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "a-long-test-password-1", first_name=first_name, last_name=last_name
    )
    user.groups.add(Group.objects.get(name=group))
    return user


class ReviewLoopTests(LoadedSiteMixin, WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = make_user("editor", "Editors", "Edith", "Editor")
        cls.moderator = make_user("moderator", "Moderators", "Moritz", "Moderator")

    def setUp(self):
        self.page = page_at(AREA)
        self.edit_url = reverse("wagtailadmin_pages:edit", args=[self.page.pk])

    def as_user(self, user):
        self.client.logout()
        self.client.force_login(user)

    def edit_post(self, action=None, **changes):
        data = edit_form_data(self.client, self.page)
        data.update(changes)
        if action:
            data[action] = action
        response = self.client.post(self.edit_url, data)
        self.assertEqual(response.status_code, 302, response.content[:300])

    def messages_in_editor(self):
        html = soup(self.client.get(self.edit_url))
        return html, " ".join(" ".join(li.get_text(" ").split()) for li in html.select(".messages li"))

    def request_changes(self):
        self.as_user(self.editor)
        self.edit_post("action-submit", summary="Protection: a first draft that needs work.")
        state = WorkflowState.objects.get(object_id=str(self.page.pk), status="in_progress")
        self.as_user(self.moderator)
        self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[self.page.pk, "reject", state.current_task_state.pk]),
            {"comment": COMMENT},
        )
        state.refresh_from_db()
        self.assertEqual(state.status, "needs_changes")
        return state

    def test_the_editor_sees_who_asked_for_changes_when_and_what_until_submitting_again(self):
        self.request_changes()
        self.as_user(self.editor)
        _, text = self.messages_in_editor()
        self.assertIn("Changes requested by Moritz Moderator on", text)
        self.assertIn(COMMENT, text)
        self.assertNotIn("Edith", text)  # Wagtail's dialog named the submitter; the banner the Moderator

        self.edit_post(summary="Protection: a draft saved on the way.")  # a draft: still to answer
        self.assertIn(COMMENT, self.messages_in_editor()[1])
        self.edit_post("action-submit", summary="Protection: a draft saved on the way.")
        self.assertNotIn(COMMENT, self.messages_in_editor()[1])

    def test_the_moderator_compares_the_resubmission_with_the_version_reviewed(self):
        state = self.request_changes()
        reviewed = state.current_task_state.revision_id
        self.as_user(self.editor)
        # The draft saved a second before submitting (as autosave does) holds the same content.
        self.edit_post(summary="Protection: the figure now cites UNHCR, 2024.")
        self.edit_post("action-submit", summary="Protection: the figure now cites UNHCR, 2024.")
        state.refresh_from_db()
        submitted = state.current_task_state.revision_id

        self.as_user(self.moderator)
        dashboard = soup(self.client.get(reverse("wagtailadmin_home")))
        panel = dashboard.find(id="awaiting-review-section")
        link = panel.find("a", string="Compare with the version you reviewed")
        expected = reverse("wagtailadmin_pages:revisions_compare", args=[self.page.pk, reviewed, submitted])
        self.assertEqual(link["href"], expected)
        self.assertIsNotNone(panel.find("a", string="Compare with the live version"))
        self.assertIsNone(panel.find("a", string="Compare with previous version"))

        comparison = " ".join(soup(self.client.get(expected)).main.get_text().split())
        self.assertNotIn("There are no differences", comparison)
        self.assertIn("a first draft that needs work", comparison)
        self.assertIn("the figure now cites UNHCR, 2024", comparison)

        # The same comparison, one click from the editor, where the Moderator approves.
        html, text = self.messages_in_editor()
        self.assertIn("Submitted for your review by Edith Editor on", text)
        buttons = {a.get_text(strip=True): a["href"] for a in html.select(".messages li a")}
        self.assertEqual(buttons["Compare with the version you reviewed"], expected)

    def test_another_moderator_sees_whose_review_it_was(self):
        self.request_changes()
        self.as_user(self.editor)
        self.edit_post("action-submit", summary="Protection: revised.")
        self.as_user(make_user("second", "Moderators", "Sam", "Second"))
        panel = soup(self.client.get(reverse("wagtailadmin_home"))).find(id="awaiting-review-section")
        self.assertIsNotNone(panel.find("a", string="Compare with the version Moritz Moderator reviewed"))

    def test_a_first_submission_is_compared_with_the_live_version(self):
        self.as_user(self.editor)
        self.edit_post("action-submit", summary="Protection: first change.")
        _, text = self.messages_in_editor()
        self.assertNotIn("Submitted for your review", text)  # the Editor cannot review it
        self.as_user(self.moderator)
        panel = soup(self.client.get(reverse("wagtailadmin_home"))).find(id="awaiting-review-section")
        links = [a.get_text(strip=True) for a in panel.select("a[href*='/revisions/compare/']")]
        self.assertEqual(links, ["Compare with the live version"])


class AutosaveTests(LoadedSiteMixin, WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = make_user("editor", "Editors", "Edith", "Editor")
        cls.administrator = get_user_model().objects.create_superuser("admin", "admin@example.org", "a-long-pw-1")

    def test_autosave_keeps_a_draft_five_seconds_after_the_last_change(self):
        self.client.force_login(self.editor)
        page = page_at(AREA)
        form = soup(self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))).find(id="page-edit-form")
        self.assertEqual(form["data-w-autosave-interval-value"], "5000")

    def test_site_history_shows_one_entry_for_an_editing_session_not_one_per_autosave(self):
        self.client.force_login(self.editor)
        page = page_at(AREA)
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        data = edit_form_data(self.client, page)
        revision_id = None
        for n in range(4):  # what the editor's autosave posts while someone types
            data["summary"] = f"Protection, typed a little more: {n}."
            if revision_id:
                data["overwrite_revision_id"] = str(revision_id)
            response = self.client.post(url, data, HTTP_ACCEPT="application/json")
            self.assertTrue(response.json()["success"], response.content)
            revision_id = response.json()["revision_id"]

        self.client.force_login(self.administrator)
        response = self.client.get(reverse("wagtailadmin_reports:site_history"), {"action": "wagtail.edit"})
        edits = [entry for entry in response.context["object_list"] if entry.user_id == self.editor.pk]
        self.assertEqual(len(edits), 1, edits)
        self.assertEqual(edits[0].revision_id, revision_id)
        # One revision, overwritten by each autosave; every log entry is kept, only not shown twice.
        self.assertEqual(page.revisions.filter(user=self.editor).count(), 1)
        self.assertEqual(PageLogEntry.objects.filter(page=page, user=self.editor, action="wagtail.edit").count(), 4)
