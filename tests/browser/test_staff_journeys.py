"""What staff do in a real browser beyond publishing: the review loop between an Editor and a
Moderator, the login locks, a DG page's list of areas, and an Administrator's history."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import authenticator_app_of, fixture_for, person_in, sign_in_to_the_admin
from tests.utils import page_at

pytestmark = pytest.mark.browser


def awaiting_row(page, title):
    awaiting = page.get_by_role("region", name="Awaiting your review")
    return awaiting.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))


def test_the_review_loop_a_request_for_changes_the_change_compared_and_approved(open_page):
    path = "/thematic-areas/return-and-reintegration/"
    area = fixture_for(path)
    title = area["title"]
    edit_url = f"/admin/pages/{page_at(path).pk}/edit/"
    first = "First try: IOM and the EU help people return home."
    second = "Second try: IOM and the EU help people return home and rebuild their lives, with sources."
    comment = "Please say what happens after people return."
    person_in("Editors", "editor", "Edith", "Editor")
    moderator = person_in("Moderators", "moderator", "Moritz", "Moderator")
    moderators_app = authenticator_app_of(moderator)

    # The Editor changes the summary and submits it.
    editor = open_page(None)
    sign_in_to_the_admin(editor, "editor")
    editor.goto(edit_url)
    summary = editor.get_by_role("textbox", name=re.compile(r"^Summary"))
    summary.fill(first)
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Submit to Moderation").click()
    expect(editor.get_by_text(f"Page '{title}' has been submitted for moderation.")).to_be_visible()

    # The Moderator asks for changes from the dashboard, with a comment.
    review = open_page(None)
    sign_in_to_the_admin(review, "moderator", moderators_app)
    awaiting_row(review, title).get_by_role("button", name="Actions").click()
    review.get_by_role("button", name="Request changes", exact=True).click()
    dialog = review.get_by_role("dialog")
    dialog.get_by_role("textbox").fill(comment)
    dialog.get_by_role("button", name="Request changes").click()
    expect(review.get_by_role("region", name="Awaiting your review")).to_have_count(0)

    # The Editor opens the page: who asked, when and what, at the top of the editor.
    editor.goto(edit_url)
    banner = editor.locator(".messages").get_by_text("Changes requested by Moritz Moderator on")
    expect(banner).to_be_visible()
    expect(editor.locator(".messages")).to_contain_text(comment)
    summary = editor.get_by_role("textbox", name=re.compile(r"^Summary"))
    expect(summary).to_have_value(first)
    # The editor notices changes made 2 seconds after it opens (Wagtail's w-unsaved controller),
    # as a person typing would.
    editor.wait_for_timeout(2500)
    # Autosave keeps a draft a few seconds after the last change, just before the resubmission:
    # exactly what made Wagtail's "previous version" comparison come out empty.
    with editor.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(edit_url), timeout=15_000):
        summary.fill(second)
    expect(editor.locator("#w-autosave-indicator")).to_contain_text("Saved")
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name=re.compile("^Resubmit")).click()
    expect(editor.get_by_text(f"Page '{title}' has been submitted for moderation.")).to_be_visible()
    editor.goto(edit_url)
    expect(editor.locator(".messages").get_by_text("Changes requested by")).to_have_count(0)

    # The Moderator compares with the version they reviewed: exactly the Editor's change.
    review.goto("/admin/")
    awaiting_row(review, title).get_by_role("button", name="Actions").click()
    review.get_by_role("link", name="Compare with the version you reviewed").click()
    review.wait_for_url(re.compile(r"/revisions/compare/\d+\.\.\.\d+/$"))
    changes = review.get_by_role("main").get_by_role("table")
    expect(changes).not_to_contain_text("There are no differences")
    expect(changes.locator(".deletion", has_text="First")).to_have_count(1)  # the words the Editor replaced
    expect(changes.locator(".addition", has_text="Second")).to_have_count(1)
    expect(changes.locator(".addition", has_text="sources")).to_have_count(1)
    expect(changes.get_by_role("row")).to_have_count(2)  # the heading row and the summary: nothing else changed

    # From there to the editor, and approve.
    review.get_by_role("link", name="Edit", exact=True).click()
    review.wait_for_url(re.compile(edit_url))
    expect(review.locator(".messages")).to_contain_text("Submitted for your review by Edith Editor")
    review.get_by_role("button", name="More actions").click()
    with review.expect_navigation():
        review.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(review.locator(".messages")).to_contain_text(f"Page '{title}' has been updated.")
    visitor = open_page(path)
    expect(visitor.locator("main .lead")).to_have_text(second)


def test_a_dg_page_lists_its_thematic_areas_and_leads_to_their_editor(open_page):
    from tests.browser.test_journeys import member_dg_and_one_of_its_areas

    dg_path, area_path = member_dg_and_one_of_its_areas()
    area = fixture_for(area_path)
    person_in("Editors", "editor", "Edith", "Editor")
    admin = open_page(None)
    sign_in_to_the_admin(admin, "editor")
    admin.goto(f"/admin/pages/{page_at(dg_path).pk}/edit/")
    admin.get_by_role("tab", name="Details").click()
    areas = admin.locator(".partnership-pages-naming-this")
    expect(areas).to_be_visible()
    item = areas.get_by_role("listitem").filter(has=admin.get_by_role("link", name=area["title"], exact=True))
    expect(item).to_contain_text("Live")
    item.get_by_role("link", name=area["title"], exact=True).click()
    admin.wait_for_url(f"/admin/pages/{page_at(area_path).pk}/edit/")
    admin.get_by_role("tab", name="Details").click()
    dg = fixture_for(dg_path)
    expect(admin.get_by_role("checkbox", name=f"{dg['full_name']} ({dg['acronym']})")).to_be_checked()
