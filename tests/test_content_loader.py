"""load_content and export_content: the content in the repository becomes the site, safely."""

import hashlib
import tempfile
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Revision, Site

from partnership.content.loader import LOADER_USERNAME
from partnership.models import DirectorateGeneralPage, FooterSettings, PartnershipImage, PartnershipOverviewPage

from .utils import (
    FIXTURES_DIR,
    copy_fixtures,
    edit_form_data,
    fixture_image_count,
    fixture_page_files,
    load_site,
    page_at,
    row_counts,
    run_command,
    soup,
)

PROTECTION = "/thematic-areas/protection/"
FIXTURE_IMAGE = "framework-members.png"  # the one image fixtures/content/images.yaml lists


class TempDirMixin:
    def make_tmp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        return Path(tmp.name)

    def edit_fixture(self, relative, change):
        """Copy the fixtures, apply `change` to one file's parsed YAML, and return the copy's folder."""
        fixtures = copy_fixtures(self.make_tmp())
        path = fixtures / "content" / relative
        data = yaml.safe_load(path.read_text()) if path.exists() else None
        path.write_text(yaml.safe_dump(change(data), allow_unicode=True, sort_keys=False))
        return fixtures


class FreshLoadTests(TempDirMixin, TestCase):
    def test_first_load_builds_the_whole_tree_published_by_the_loader(self):
        output = run_command("load_content")

        page_count = len(fixture_page_files())
        self.assertIn(f"Pages: {page_count} created, 0 updated, 0 unchanged, 0 skipped.", output)
        site = Site.objects.get(is_default_site=True)
        self.assertIsInstance(site.root_page.specific, PartnershipOverviewPage)
        # Wagtail's welcome page is gone, not left beside the overview.
        self.assertFalse(Page.objects.filter(depth=2).exclude(pk=site.root_page.pk).exists())
        loaded = Page.objects.descendant_of(site.root_page, inclusive=True)
        self.assertEqual(loaded.count(), page_count)
        self.assertEqual(loaded.live().count(), page_count)
        self.assertFalse(loaded.filter(has_unpublished_changes=True).exists())
        loader = get_user_model().objects.get(username=LOADER_USERNAME)
        self.assertFalse(loader.is_active)
        self.assertFalse(loader.has_usable_password())
        for page in loaded:
            revisions = Revision.page_revisions.filter(object_id=str(page.pk))
            self.assertEqual([r.user_id for r in revisions], [loader.pk], page.url_path)
            self.assertEqual(page.live_revision_id, revisions.get().pk, page.url_path)
        footer = FooterSettings.objects.get(site=site)
        self.assertEqual(footer.organisation, "IOM Global Office in Brussels")
        self.assertEqual(footer.website, "https://globalofficebrussels.iom.int/")

    def test_the_site_takes_its_public_address_so_canonical_links_and_the_sitemap_use_it(self):
        with self.settings(
            SITE_URL="https://partnership.example.org", WAGTAILADMIN_BASE_URL="https://admin.example.org"
        ):
            load_site()
        site = Site.objects.get(is_default_site=True)
        self.assertEqual(
            (site.hostname, site.port, site.site_name), ("partnership.example.org", 443, "IOM and the European Union")
        )
        self.assertEqual(page_at(PROTECTION).full_url, f"https://partnership.example.org{PROTECTION}")
        with self.settings(ALLOWED_HOSTS=["partnership.example.org"]):
            html = self.client.get(PROTECTION, HTTP_HOST="partnership.example.org", secure=True).content.decode()
            sitemap = self.client.get("/sitemap.xml", HTTP_HOST="partnership.example.org", secure=True).content.decode()
        self.assertIn(f'<link rel="canonical" href="https://partnership.example.org{PROTECTION}">', html)
        self.assertIn(f"<loc>https://partnership.example.org{PROTECTION}</loc>", sitemap)

    def test_without_site_url_the_site_is_where_the_admin_is_and_a_renamed_site_stays_renamed(self):
        with self.settings(SITE_URL="", WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000"):
            load_site()
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("127.0.0.1", 8000))
        Site.objects.filter(pk=site.pk).update(hostname="iom-eu.example.org", port=443)  # in Settings → Sites
        with self.settings(SITE_URL="https://partnership.example.org"):
            run_command("load_content")
        self.assertEqual(Site.objects.values_list("hostname", "port").get(), ("iom-eu.example.org", 443))

    def test_url_paths_follow_the_fixture_folders(self):
        load_site()
        self.assertEqual(page_at("/directorates-general/echo/").acronym, "ECHO")
        self.assertEqual(page_at(PROTECTION).title, "Protection")
        self.assertEqual(page_at("/").get_url(), "/")
        self.assertEqual(page_at("/framework/").get_url(), "/framework/")

    def test_children_are_created_in_the_order_their_parent_lists(self):
        load_site()
        listed = yaml.safe_load((FIXTURES_DIR / "content/en/directorates-general/index.yaml").read_text())["children"]
        index = page_at("/directorates-general/")
        self.assertEqual([child.slug for child in index.get_children()], listed)

    def test_relations_and_images_are_resolved(self):
        load_site()
        area = page_at("/thematic-areas/migration-and-development/")
        self.assertIn("INTPA", [dg.acronym for dg in area.directorates_general.all()])
        intpa = DirectorateGeneralPage.objects.get(acronym="INTPA")
        self.assertIn(area.pk, [a.pk for a in intpa.thematic_areas.all()])
        # The framework's social-media picture is named by file in its fixture, described in images.yaml.
        listed = {item["file"]: item for item in yaml.safe_load((FIXTURES_DIR / "content/images.yaml").read_text())}
        named = yaml.safe_load((FIXTURES_DIR / "content/en/framework.yaml").read_text())["social_image"]
        social_image = page_at("/framework/").social_image
        fixture_file = (FIXTURES_DIR / "media" / named).read_bytes()
        self.assertEqual(social_image.file_hash, hashlib.sha1(fixture_file).hexdigest())  # noqa: S324 - Wagtail's hash
        self.assertEqual(
            (social_image.title, social_image.description), (listed[named]["title"], listed[named]["description"])
        )

    def test_an_image_block_names_its_image_by_file(self):
        block = {"type": "image", "value": {"image": FIXTURE_IMAGE, "caption": "A caption."}}
        fixtures = self.edit_fixture("en/thematic-areas/protection.yaml", add_body_block(block))
        run_command("load_content", "--fixtures", str(fixtures))
        images = [b.value for b in page_at(PROTECTION).body if b.block_type == "image"]
        self.assertEqual(len(images), 1)
        self.assertEqual(images[0]["image"], page_at("/framework/").social_image)
        self.assertEqual(images[0]["caption"], "A caption.")

    def test_dry_run_writes_nothing_and_reports_what_it_would_do(self):
        before = row_counts()
        output = run_command("load_content", "--dry-run")
        self.assertIn("Dry run, nothing written", output)
        self.assertIn(f"{len(fixture_page_files())} created", output)
        self.assertIn(f"created   {PROTECTION}", output)
        self.assertEqual(row_counts(), before)
        self.assertEqual(Site.objects.get().root_page.specific_class, Page)


class ReloadTests(TempDirMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        load_site()
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "correct-horse-battery")

    def edit_in_admin(self, page, **changes):
        """Edit and publish a page through Wagtail's real edit view, as communications staff do."""
        self.client.force_login(self.editor)
        data = edit_form_data(self.client, page)
        for name, value in changes.items():
            data[name] = value
        data["action-publish"] = "action-publish"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.client.logout()
        return page.specific_class.objects.get(pk=page.pk)

    def test_second_run_changes_nothing(self):
        before = row_counts()
        output = run_command("load_content")
        self.assertIn(f"Pages: 0 created, 0 updated, {len(fixture_page_files())} unchanged, 0 skipped.", output)
        self.assertIn(f"Images: 0 created, {fixture_image_count()} unchanged.", output)
        self.assertEqual(row_counts(), before)

    def test_admin_edit_survives_a_reload_and_is_reported(self):
        page = self.edit_in_admin(page_at(PROTECTION), summary="Edited by the communications team.")
        before = row_counts()

        output = run_command("load_content")

        self.assertIn(f"skipped   {PROTECTION}", output)
        self.assertIn("edited in the admin by editor", output)
        self.assertIn("0 created, 0 updated", output)
        self.assertIn("1 skipped", output)
        page.refresh_from_db()
        self.assertEqual(page.summary, "Edited by the communications team.")
        self.assertEqual(row_counts(), before)

    def delete_in_admin(self, page):
        """Delete a page (and the pages below it) through Wagtail's real delete view."""
        self.client.force_login(self.editor)
        response = self.client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.client.logout()
        self.assertFalse(Page.objects.filter(pk=page.pk).exists())

    def test_a_page_deleted_in_the_admin_stays_deleted(self):
        self.delete_in_admin(page_at(PROTECTION))
        pages = Page.objects.count()

        output = run_command("load_content")

        self.assertIn(
            f"skipped   {PROTECTION}  (deleted in the admin; use --force {PROTECTION} to bring it back)", output
        )
        self.assertIn("0 created", output)
        self.assertEqual(Page.objects.count(), pages)
        self.assertEqual(self.client.get(PROTECTION).status_code, 404)

        output = run_command("load_content", "--force", "thematic-areas/protection")
        self.assertIn(f"created   {PROTECTION}", output)
        self.assertEqual(self.client.get(PROTECTION).status_code, 200)

    def test_a_deleted_section_keeps_its_pages_deleted_and_links_to_it_load(self):
        # The home page's body links to the framework page through a call-to-action block (a page
        # chooser); the Who we are section has pages below it.
        def link_to_the_framework(data):
            cta = {"title": "The framework", "text": "", "page": "/framework/", "url": "", "link_text": "Read more"}
            data["body"] = [*data["body"], {"type": "call_to_action", "value": cta}]
            return data

        fixtures = self.edit_fixture("en/index.yaml", link_to_the_framework)
        run_command("load_content", "--fixtures", str(fixtures))
        self.delete_in_admin(page_at("/framework/"))
        self.delete_in_admin(page_at("/who-we-are/"))
        home = page_at("/")
        body_before, revision_before = list(home.body.raw_data), home.latest_revision_id

        output = run_command("load_content", "--fixtures", str(fixtures))

        for path in ("/framework/", "/who-we-are/"):
            self.assertIn(f"skipped   {path}  (deleted in the admin", output)
        self.assertIn("skipped   /who-we-are/about/  (/who-we-are/ above it was deleted in the admin)", output)
        # The home page's fixture links to the deleted framework page: the site's version, whose link
        # Wagtail left pointing at nothing, is kept as it is.
        self.assertIn("skipped   /  (links to /framework/, deleted in the admin; its links need changing)", output)
        self.assertFalse(Page.objects.filter(url_path__startswith=f"{home.url_path}who-we-are/").exists())
        self.assertFalse(Page.objects.filter(url_path=f"{home.url_path}framework/").exists())
        home = page_at("/")
        self.assertEqual(list(home.body.raw_data), body_before)
        self.assertEqual(home.latest_revision_id, revision_before)
        self.assertEqual(self.client.get("/").status_code, 200)

        run_command("load_content", "--force-all")
        self.assertEqual(self.client.get("/who-we-are/about/").status_code, 200)
        self.assertEqual(self.client.get("/framework/").status_code, 200)

    def test_force_replaces_the_edit_and_says_so(self):
        original = page_at(PROTECTION).summary
        self.edit_in_admin(page_at(PROTECTION), summary="Edited by the communications team.")

        output = run_command("load_content", "--force", "thematic-areas/protection")

        self.assertIn(f"Replaced the admin's edit of {PROTECTION}", output)
        self.assertIn("1 updated", output)
        page = page_at(PROTECTION)
        self.assertEqual(page.summary, original)
        latest = page.get_latest_revision()
        self.assertEqual(latest.user.username, LOADER_USERNAME)
        self.assertEqual(page.live_revision_id, latest.pk)
        # The staff edit stays in the history.
        self.assertTrue(Revision.page_revisions.filter(object_id=str(page.pk), user=self.editor).exists())

    def test_force_all_replaces_every_edit(self):
        self.edit_in_admin(page_at(PROTECTION), summary="One edit.")
        self.edit_in_admin(page_at("/framework/"), summary="Another edit.")
        output = run_command("load_content", "--force-all")
        self.assertIn("2 updated", output)
        self.assertNotEqual(page_at("/framework/").summary, "Another edit.")

    def test_force_of_an_unknown_page_is_refused(self):
        with self.assertRaisesMessage(CommandError, "no page at /no-such-page/ in the fixtures"):
            run_command("load_content", "--force", "no-such-page")

    def test_a_fixture_change_to_an_unedited_page_is_published_as_a_new_revision(self):
        def change(data):
            data["summary"] = "A new summary from the fixtures."
            return data

        fixtures = self.edit_fixture("en/thematic-areas/protection.yaml", change)
        output = run_command("load_content", "--fixtures", str(fixtures))

        self.assertIn(f"updated   {PROTECTION}", output)
        self.assertIn("1 updated", output)
        page = page_at(PROTECTION)
        self.assertEqual(page.summary, "A new summary from the fixtures.")
        self.assertFalse(page.has_unpublished_changes)
        self.assertEqual(Revision.page_revisions.filter(object_id=str(page.pk)).count(), 2)

    def test_a_social_image_chosen_in_the_admin_survives_a_reload_until_forced(self):
        fixture_image = page_at("/framework/").social_image
        other = PartnershipImage.objects.create(
            title="Senior officials", description="Senior officials around a table.", file=get_test_image_file()
        )
        self.edit_in_admin(page_at("/framework/"), social_image=str(other.pk))

        output = run_command("load_content")
        self.assertIn("skipped   /framework/  (edited in the admin by editor", output)
        self.assertEqual(page_at("/framework/").social_image, other)

        run_command("load_content", "--force", "/framework/")
        self.assertEqual(page_at("/framework/").social_image, fixture_image)

    def test_a_social_image_taken_out_of_a_fixture_is_taken_off_the_page(self):
        fixtures = self.edit_fixture("en/framework.yaml", drop_key("social_image"))
        output = run_command("load_content", "--fixtures", str(fixtures))
        self.assertIn("updated   /framework/", output)
        self.assertIsNone(page_at("/framework/").social_image)
        self.assertIsNone(soup(self.client.get("/framework/")).find("meta", property="og:image"))

    def test_a_page_renamed_in_the_admin_is_found_again_not_duplicated(self):
        self.edit_in_admin(page_at(PROTECTION), slug="protection-of-migrants")
        before = Page.objects.count()
        output = run_command("load_content")
        self.assertEqual(Page.objects.count(), before)
        self.assertIn("0 created", output)
        self.assertEqual(page_at("/thematic-areas/protection-of-migrants/").title, "Protection")

    def test_footer_edited_in_the_admin_is_kept(self):
        footer = FooterSettings.objects.get()
        footer.website = "https://edited.example.org/"
        footer.save()
        run_command("load_content")
        self.assertEqual(FooterSettings.objects.get().website, "https://edited.example.org/")


class ExportTests(TempDirMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        load_site()

    def test_export_after_load_reproduces_the_fixtures(self):
        out = self.make_tmp()
        run_command("export_content", "--output", str(out))

        def tree(root):
            return {str(p.relative_to(root)): yaml.safe_load(p.read_text()) for p in sorted(root.rglob("*.yaml"))}

        exported, committed = tree(out / "content"), tree(FIXTURES_DIR / "content")
        self.assertEqual(sorted(exported), sorted(committed))
        for name in committed:
            self.assertEqual(exported[name], committed[name], name)
        for image in (FIXTURES_DIR / "media").iterdir():
            self.assertEqual((out / "media" / image.name).read_bytes(), image.read_bytes(), image.name)

    def test_export_then_load_of_the_export_changes_nothing(self):
        out = self.make_tmp()
        run_command("export_content", "--output", str(out))
        output = run_command("load_content", "--fixtures", str(out))
        self.assertIn("0 created, 0 updated", output)

    def test_an_edit_in_the_admin_shows_in_the_export(self):
        page = page_at(PROTECTION)
        page.summary = "Edited for export."
        page.save_revision().publish()
        out = self.make_tmp()
        run_command("export_content", "--output", str(out))
        data = yaml.safe_load((out / "content/en/thematic-areas/protection.yaml").read_text())
        self.assertEqual(data["summary"], "Edited for export.")


def set_key(key, value):
    def change(data):
        data[key] = value
        return data

    return change


def drop_key(key):
    def change(data):
        del data[key]
        return data

    return change


def add_body_block(block):
    def change(data):
        data["body"] = [*data.get("body", []), block]
        return data

    return change


PROTECTION_BODY = yaml.safe_load((FIXTURES_DIR / "content/en/thematic-areas/protection.yaml").read_text())["body"]

# (what is wrong, file to change, change, file named in the error, field path and message expected)
BAD_FIXTURES = [
    (
        "unknown page type",
        "en/framework.yaml",
        set_key("type", "NewsPage"),
        "en/framework.yaml: type: unknown page type 'NewsPage'",
    ),
    (
        "unknown block type",
        "en/thematic-areas/protection.yaml",
        add_body_block({"type": "video", "value": "x"}),
        "en/thematic-areas/protection.yaml: body[",
    ),
    (
        "missing required field",
        "en/directorates-general/echo.yaml",
        drop_key("remit"),
        "en/directorates-general/echo.yaml: remit: this field is required",
    ),
    (
        "relation to a DG that does not exist",
        "en/thematic-areas/protection.yaml",
        set_key("directorates_general", ["HOME", "MOVE"]),
        "en/thematic-areas/protection.yaml: directorates_general[1]: no Directorate-General page with acronym 'MOVE'",
    ),
    (
        "link to a page that does not exist",
        "en/thematic-areas/protection.yaml",
        add_body_block(
            {
                "type": "call_to_action",
                "value": {"title": "T", "text": "", "page": "/nowhere/", "url": "", "link_text": "Go"},
            }
        ),
        "no page at '/nowhere/'",
    ),
    (
        "missing image file",
        "images.yaml",
        lambda data: [*data, {"file": "missing.png", "title": "Missing", "description": "Not there."}],
        f"images.yaml: [{fixture_image_count()}].file: missing image file media/missing.png",
    ),
    (
        "social image not in images.yaml",
        "en/framework.yaml",
        set_key("social_image", "diagram.png"),
        "en/framework.yaml: social_image: no image 'diagram.png' in images.yaml",
    ),
    (
        "image taken out of images.yaml while a page still names it",
        "images.yaml",
        lambda data: [item for item in data if item["file"] != FIXTURE_IMAGE],
        f"en/framework.yaml: social_image: no image '{FIXTURE_IMAGE}' in images.yaml",
    ),
    (
        "body image not in images.yaml",
        "en/thematic-areas/protection.yaml",
        add_body_block({"type": "image", "value": {"image": "diagram.png", "caption": ""}}),
        f"protection.yaml: body[{len(PROTECTION_BODY)}].value.image: no image 'diagram.png' in images.yaml",
    ),
    (
        "duplicate acronym",
        "en/directorates-general/just.yaml",
        set_key("acronym", "HOME"),
        "en/directorates-general/just.yaml: acronym: 'HOME' is already used",
    ),
    (
        "value a field refuses",
        "en/thematic-areas/protection.yaml",
        set_key("group", "someday"),
        "en/thematic-areas/protection.yaml: group: Value 'someday' is not a valid choice.",
    ),
    (
        "child listed twice",
        "en/thematic-areas/index.yaml",
        lambda data: {**data, "children": [*data["children"], "protection"]},
        "en/thematic-areas/index.yaml: children: duplicate slug(s): protection",
    ),
    (
        "page under a parent that cannot hold it",
        "en/who-we-are/about.yaml",
        set_key("type", "ThematicAreaPage"),
        "en/who-we-are/about.yaml: type: a ThematicAreaPage cannot be placed under a StandardPage",
    ),
    (
        # Only the block's own clean() finds this, after pages exist: the rollback must undo them.
        "call to action with both a page and an address",
        "en/thematic-areas/protection.yaml",
        add_body_block(
            {
                "type": "call_to_action",
                "value": {
                    "title": "T",
                    "text": "",
                    "page": "/framework/",
                    "url": "https://example.org/",
                    "link_text": "Go",
                },
            }
        ),
        "en/thematic-areas/protection.yaml: body[",
    ),
]


class BadFixtureTests(TempDirMixin, TestCase):
    """Each kind of bad fixture names its file and field, exits non-zero, and writes nothing,
    both on an empty database and on a loaded one."""

    def assert_refused(self, fixtures, expected):
        before = row_counts()
        with self.assertRaises(CommandError) as caught:
            run_command("load_content", "--fixtures", str(fixtures))
        message = str(caught.exception)
        self.assertIn("the database is unchanged", message)
        self.assertIn(expected, message)
        self.assertEqual(row_counts(), before)

    def test_each_bad_fixture_on_an_empty_database(self):
        for label, relative, change, expected in BAD_FIXTURES:
            with self.subTest(label):
                self.assert_refused(self.edit_fixture(relative, change), expected)

    def test_each_bad_fixture_on_a_loaded_site(self):
        load_site()
        for label, relative, change, expected in BAD_FIXTURES:
            with self.subTest(label):
                self.assert_refused(self.edit_fixture(relative, change), expected)

    def test_duplicate_slug_from_a_file_and_a_folder(self):
        fixtures = copy_fixtures(self.make_tmp())
        (fixtures / "content/en/framework").mkdir()
        (fixtures / "content/en/framework.yaml").rename(fixtures / "content/en/framework/index.yaml")
        (fixtures / "content/en/framework.yaml").write_text((fixtures / "content/en/framework/index.yaml").read_text())
        self.assert_refused(fixtures, "duplicate slug 'framework'")

    def test_invalid_yaml(self):
        fixtures = copy_fixtures(self.make_tmp())
        (fixtures / "content/en/framework.yaml").write_text("type: FrameworkPage\ntitle: [unclosed\n")
        self.assert_refused(fixtures, "en/framework.yaml: not valid YAML")

    def test_every_problem_is_reported_not_only_the_first(self):
        fixtures = self.edit_fixture("en/directorates-general/echo.yaml", drop_key("remit"))
        path = fixtures / "content/en/framework.yaml"
        path.write_text(path.read_text().replace("type: FrameworkPage", "type: NewsPage"))
        with self.assertRaises(CommandError) as caught:
            run_command("load_content", "--fixtures", str(fixtures))
        self.assertIn("echo.yaml: remit", str(caught.exception))
        self.assertIn("framework.yaml: type", str(caught.exception))

    def test_a_site_whose_home_is_another_page_is_not_overwritten(self):
        root = Page.get_first_root_node()
        welcome = Site.objects.get().root_page
        welcome.add_child(instance=Page(title="A page someone made"))
        before = row_counts()
        with self.assertRaises(CommandError):
            run_command("load_content")
        self.assertEqual(row_counts(), before)
        self.assertEqual(root.get_children().count(), 1)
