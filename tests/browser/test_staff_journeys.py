"""What staff do in a real browser beyond publishing: the review loop between an Editor and a
Moderator, the login locks, a DG page's list of areas, an Administrator's history, and adding
several images at once."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from partnership.models import PartnershipImage
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


def try_to_sign_in(page, username, password):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_one_persons_wrong_passwords_lock_their_account_not_their_colleagues(open_page):
    person_in("Editors", "editor", "Edith", "Editor")
    person_in("Editors", "colleague", "Colin", "Colleague")
    typo = open_page(None)
    for _ in range(5):
        try_to_sign_in(typo, "editor", "not-the-password")
    expect(typo.get_by_role("heading", level=1)).to_have_text("Too many failed logins")
    expect(typo.get_by_role("alert")).to_contain_text("Logging in to this account is locked")
    expect(typo.get_by_role("alert")).not_to_contain_text("Logging in from this network address")

    # The same address (every browser here is 127.0.0.1), another person: in.
    sign_in_to_the_admin(open_page(None), "colleague")
    # The locked account stays locked, even with the right password.
    try_to_sign_in(typo, "editor", "a-long-password-for-browser-tests")
    expect(typo.get_by_role("heading", level=1)).to_have_text("Too many failed logins")
    expect(typo.get_by_text("You can try again after")).to_be_visible()


def test_spraying_many_usernames_locks_the_address_and_the_administrator_sees_both_kinds(open_page, settings):
    settings.LOGINS_ADDRESS_FAILURE_LIMIT = 6  # the rule as in production, at a size a browser test can reach
    settings.LOGINS_ADDRESS_USERNAME_LIMIT = 3
    administrator = person_in("Editors", "administrator", "Ada", "Administrator")
    administrator.is_superuser = True
    administrator.save()
    app = authenticator_app_of(administrator)
    person_in("Editors", "editor", "Edith", "Editor")
    sprayer = open_page(None)
    for n in range(6):
        try_to_sign_in(sprayer, f"guess-{n % 3}", "password1")
    try_to_sign_in(sprayer, "editor", "a-long-password-for-browser-tests")
    expect(sprayer.get_by_role("alert")).to_contain_text("Logging in from this network address (127.0.0.1) is locked")

    settings.LOGINS_ADDRESS_FAILURE_LIMIT = 50  # so that the Administrator can sign in from the same address
    admin = open_page(None)
    sign_in_to_the_admin(admin, "administrator", app)
    admin.goto("/admin/locked-logins/")
    expect(admin.get_by_role("table", name="Locked accounts (usernames)")).to_have_count(0)
    expect(admin.get_by_text("No username is locked.")).to_be_visible()
    settings.LOGINS_ADDRESS_FAILURE_LIMIT = 6
    admin.reload()
    addresses = admin.get_by_role("table", name="Locked network addresses")
    expect(addresses.get_by_role("row").filter(has_text="127.0.0.1")).to_contain_text("6")
    addresses.get_by_role("button", name="Unlock 127.0.0.1").click()
    expect(admin.get_by_text("127.0.0.1 is unlocked")).to_be_visible()


def test_an_administrator_reads_role_changes_in_the_history_and_the_users_list(open_page):
    administrator = person_in("Editors", "administrator", "Ada", "Administrator")
    administrator.is_superuser = True
    administrator.save()
    app = authenticator_app_of(administrator)
    newcomer = person_in("Editors", "newcomer", "Nina", "Newcomer")
    admin = open_page(None)
    sign_in_to_the_admin(admin, "administrator", app)

    admin.goto("/admin/users/")
    row = admin.get_by_role("row").filter(has_text="newcomer")
    expect(row).to_contain_text("Editors")
    expect(row).to_contain_text("Off")

    admin.goto(f"/admin/users/edit/{newcomer.pk}/")
    admin.get_by_role("tab", name="Roles").click()
    admin.get_by_role("checkbox", name="Editors").uncheck()
    admin.get_by_role("checkbox", name="Moderators").check()
    admin.get_by_role("checkbox", name=re.compile("^Administrator")).check()
    admin.get_by_role("button", name="Save").click()
    expect(admin.locator(".messages")).to_contain_text("updated")

    admin.goto("/admin/reports/site-history/")
    history = admin.get_by_role("main")
    expect(history).to_contain_text("Changed the account's groups: Editors → Moderators")
    expect(history).to_contain_text("Made an Administrator")
    admin.goto("/admin/users/")
    expect(admin.get_by_role("row").filter(has_text="newcomer")).to_contain_text("Administrator")


DESCRIPTION_REQUEST = "Please provide an image description to comply with best practices for accessibility."


def png_file(name, width=64, height=48):
    data = io.BytesIO()
    Image.new("RGB", (width, height), "#0033a0").save(data, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": data.getvalue()}


def test_adding_several_images_says_why_a_file_failed_and_asks_only_an_upload_for_its_description(open_page):
    """Admin → Images → Add an image → several at once. A refused file reads "Sorry, upload failed."
    and the reason, and nothing about a description; a file that uploaded asks for its description,
    and becomes an image once it has one."""
    person_in("Editors", "editor", "Edith", "Editor")
    admin = open_page(None)
    sign_in_to_the_admin(admin, "editor")
    admin.goto("/admin/images/multiple/add/")
    images_before = PartnershipImage.objects.count()
    causes = {
        "notes.txt": "Not a supported image format. Supported formats: AVIF, JPG, JPEG, PNG, WEBP.",
        "huge.png": "This file is too big. Maximum filesize 10.0 MB.",  # refused in the browser
        "broken.png": "Upload a valid image. The file you uploaded was either not an image or a corrupted image.",
    }
    admin.locator("#fileupload").set_input_files(
        [
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Not a picture."},
            {"name": "huge.png", "mimeType": "image/png", "buffer": bytes(11 * 1024 * 1024)},
            {
                "name": "broken.png",
                "mimeType": "image/png",
                "buffer": b"Not a picture either.",
            },  # refused by the server
            png_file("harbour.png"),
        ]
    )
    items = admin.locator("#upload-list > li")
    expect(items).to_have_count(4)
    for name, cause in causes.items():
        item = items.filter(has_text=name)
        expect(item).to_have_class(re.compile(r"\bupload-failure\b"))
        expect(item.locator(".error_messages")).to_have_text(cause)
        # What the editor reads there, from the top (a no-break space in "10.0 MB" read as a space).
        lines = [" ".join(line.split()) for line in item.locator(".right").inner_text().splitlines() if line.strip()]
        assert lines == ["Sorry, upload failed.", cause], (name, lines)

    uploaded = items.filter(has_text="harbour.png")
    expect(uploaded).to_have_class(re.compile(r"\bupload-success\b"))
    expect(uploaded.get_by_text(DESCRIPTION_REQUEST)).to_be_visible()
    uploaded.get_by_role("button", name="Update").click()  # without a description: asked again, not kept
    expect(uploaded.get_by_text("This field is required.")).to_be_visible()
    assert PartnershipImage.objects.count() == images_before

    description = "A harbour at dawn, with fishing boats moored along the quay."
    uploaded.get_by_role("textbox", name=re.compile(r"^Description")).fill(description)
    uploaded.get_by_role("button", name="Update").click()
    expect(admin.locator(".messages")).to_contain_text("Image updated.")
    expect(items.filter(has_text="harbour.png")).to_have_count(0)
    assert PartnershipImage.objects.count() == images_before + 1
    image = PartnershipImage.objects.get(description=description)
    assert (image.title, image.width, image.height) == ("harbour.png", 64, 48)
