"""The admin speaks the editor's language: every word of ours that staff read (field names and help,
tabs and panels, page types, block names and help, choices, messages) is marked for translation, so
that with the admin set to French it shows in French wherever a French catalogue translates it.

The French and Spanish catalogues come later; here a tiny French catalogue, compiled for the test,
stands in for them."""

import inspect
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from wagtail import blocks as wagtail_blocks
from wagtail.admin.panels import get_edit_handler
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils
from wagtail.users.models import UserProfile

from partnership import blocks as our_blocks

from .factories import site_tree

APP = "partnership"


def fields_we_declare(model):
    """The model's own fields, as our code declares them: not those of a parent table (Wagtail's
    Page), not those inherited from another app's abstract model (Wagtail's AbstractImage), not the
    ones Django adds (id, page_ptr)."""
    theirs = set()
    for base in model.__mro__[1:]:
        meta = getattr(base, "_meta", None)
        if meta is not None and meta.abstract and meta.app_label != APP:
            theirs.update(field.name for field in meta.local_fields + meta.local_many_to_many)
    return [
        field
        for field in model._meta.local_fields + model._meta.local_many_to_many
        if not field.auto_created and field.name not in theirs
    ]


def panels(panel):
    yield panel
    for child in getattr(panel, "children", ()):
        yield from panels(child)


def block_classes():
    """Every block class partnership/blocks.py defines."""
    for _name, value in inspect.getmembers(our_blocks, inspect.isclass):
        if issubclass(value, wagtail_blocks.Block) and value.__module__ == our_blocks.__name__:
            yield value


def blocks_within(block, path):
    yield path, block
    children = getattr(block, "child_blocks", None) or {}
    for name, child in children.items():
        yield from blocks_within(child, f"{path}.{name}")
    child = getattr(block, "child_block", None)
    if child is not None:
        yield from blocks_within(child, f"{path}.item")


def block_texts(block):
    """(what, text) for each staff-facing text the block has set."""
    texts = [("label", block.label), ("description", getattr(block.meta, "description", None))]
    if isinstance(block, wagtail_blocks.FieldBlock):
        texts.append(("help_text", block.field.help_text))
    else:
        texts.append(("help_text", getattr(block.meta, "help_text", None)))
    if isinstance(block, wagtail_blocks.ChoiceBlock):
        texts += [(f"choice {value!r}", label) for value, label in block.field.choices if value != ""]
    return [(what, text) for what, text in texts if text]


class EveryStaffStringIsMarkedTests(SimpleTestCase):
    """A plain string in any of these places stays English whatever the admin's language."""

    def assert_translatable(self, text, where):
        self.assertIsInstance(text, Promise, f"{where} is not marked for translation: {text!r}")

    def test_our_models_name_and_explain_every_field_for_translation(self):
        models = list(apps.get_app_config(APP).get_models())
        self.assertGreaterEqual(len(models), 9)
        for model in models:
            name = model.__name__
            with self.subTest(model=name):
                self.assert_translatable(model._meta.verbose_name, f"{name}.Meta.verbose_name")
                self.assert_translatable(model._meta.verbose_name_plural, f"{name}.Meta.verbose_name_plural")
                if issubclass(model, Page):
                    self.assert_translatable(model.page_description, f"{name}.page_description")
                for field in fields_we_declare(model):
                    where = f"{name}.{field.name}"
                    # Without a verbose_name Django makes one from the field's name: never translated.
                    self.assert_translatable(field.verbose_name, f"{where} verbose_name")
                    if field.help_text:
                        self.assert_translatable(field.help_text, f"{where} help_text")
                    for value, label in field.choices or ():
                        self.assert_translatable(label, f"{where} choice {value!r}")
                    for validator in field.validators:
                        # Django's own messages are lazy too: any plain one is ours.
                        message = getattr(validator, "message", None)
                        if message:
                            self.assert_translatable(message, f"{where} {type(validator).__name__} message")

    def test_every_tab_and_panel_heading_and_help_of_our_editors_is_marked(self):
        for model in apps.get_app_config(APP).get_models():
            for panel in panels(get_edit_handler(model)):
                for attr in ("heading", "help_text", "content", "empty_text"):
                    text = getattr(panel, attr, None)
                    if text:
                        self.assert_translatable(text, f"{model.__name__}: {type(panel).__name__}.{attr}")

    def test_every_block_label_help_description_and_choice_is_marked(self):
        classes = list(block_classes())
        self.assertGreaterEqual(len(classes), 12)
        checked = 0
        for cls in classes:
            for path, block in blocks_within(cls(), cls.__name__):
                for what, text in block_texts(block):
                    with self.subTest(block=path, text=what):
                        self.assert_translatable(text, f"{path} {what}")
                        checked += 1
        self.assertGreater(checked, 100)

    def test_the_app_is_named_for_translation(self):
        self.assert_translatable(apps.get_app_config(APP).verbose_name, "PartnershipConfig.verbose_name")


# What the French catalogue translates: a field's help, a field's name, a panel's heading, a block's
# label and help, a block's error, a message, a two-factor page's title and button. French without
# apostrophes or accents, so that each appears as written whether in HTML, in an attribute or in JSON.
FRENCH = {
    "The EU's own short name, in capitals, e.g. HOME. Shown in lists and found by search.": (
        "Le sigle officiel de l UE, en capitales, par exemple HOME."
    ),
    "framework member": "membre du cadre",
    "Thematic areas": "Domaines thematiques",
    "Call to action": "Incitation",
    "The heading as visitors will read it.": "Le titre tel que les visiteurs le liront.",
    "Choose a page of this site or enter an address: one, not both.": "Choisissez une page ou une adresse.",
    "A Directorate-General page cannot be copied or aliased: each one has an acronym of its "
    "own. To add a Directorate-General, add a new page under Directorates-General.": (
        "Une page de direction generale ne peut pas etre copiee."
    ),
    "Recovery codes are shown only once. You can make new ones here.": "Les codes ne se montrent qu une fois.",
    "Two-factor authentication": "Double authentification",
    "Set up two-factor authentication": "Activer la double authentification",
}


def po_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def compile_french_catalogue(folder):
    """folder/fr/LC_MESSAGES/django.mo, compiled with GNU gettext's msgfmt as `makemessages` and
    `compilemessages` would."""
    messages = Path(folder) / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    header = ["Content-Type: text/plain; charset=UTF-8", "Plural-Forms: nplurals=2; plural=(n > 1);"]
    entries = ['msgid ""\nmsgstr ""\n' + "".join(po_string(line + "\n") + "\n" for line in header)]
    entries += [f"msgid {po_string(english)}\nmsgstr {po_string(french)}\n" for english, french in FRENCH.items()]
    (messages / "django.po").write_text("\n".join(entries), encoding="utf-8")
    subprocess.run(
        [shutil.which("msgfmt"), "--check", "-o", str(messages / "django.mo"), str(messages / "django.po")],
        check=True,
        capture_output=True,
    )


class FrenchAdminTests(WagtailTestUtils, TestCase):
    """With a French catalogue in LOCALE_PATHS (override_settings resets Django's translation cache,
    in and out), a user whose admin language is French reads our words in French."""

    @classmethod
    def setUpClass(cls):
        if shutil.which("msgfmt") is None:
            raise unittest.SkipTest("msgfmt (GNU gettext) is not installed: it compiles this test's French catalogue")
        cls.locale = tempfile.mkdtemp(prefix="iomeu-test-locale-")
        compile_french_catalogue(cls.locale)
        cls.addClassCleanup(shutil.rmtree, cls.locale, ignore_errors=True)
        cls.enterClassContext(override_settings(LOCALE_PATHS=[cls.locale]))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        cls.tree = site_tree()
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "a-long-test-password-1")
        profile = UserProfile.get_for_user(cls.admin)
        profile.preferred_language = "fr"
        profile.save()

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_dg_editor_shows_our_help_labels_headings_and_blocks_in_french(self):
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.tree["dg"].pk]))
        self.assertEqual(response.status_code, 200)
        for english in (
            "The EU's own short name, in capitals, e.g. HOME. Shown in lists and found by search.",
            "Thematic areas",
            "Call to action",
            "The heading as visitors will read it.",
        ):
            self.assertContains(response, FRENCH[english])
        self.assertContains(response, "Membre du cadre")  # the field's name, as its label: capitalised
        self.assertNotContains(response, "Shown in lists and found by search.")
        self.assertNotContains(response, "Framework member")
        # Wagtail's own words translate as they always did: the catalogue adds to Wagtail's.
        self.assertContains(response, 'lang="fr"')

    def test_the_same_editor_stays_english_for_an_english_admin(self):
        profile = UserProfile.get_for_user(self.admin)
        profile.preferred_language = "en"
        profile.save()
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.tree["dg"].pk]))
        self.assertContains(response, "Shown in lists and found by search.")
        self.assertContains(response, "Framework member")
        self.assertNotContains(response, FRENCH["Thematic areas"])

    def test_a_refusal_message_is_in_french_on_the_next_page(self):
        response = self.client.get(reverse("wagtailadmin_pages:copy", args=[self.tree["dg"].pk]), follow=True)
        self.assertContains(response, "Une page de direction generale ne peut pas etre copiee.")

    def test_a_message_of_the_two_factor_pages_is_in_french_on_the_next_page(self):
        # Django's messages become text after the view, outside the admin's language: one made with
        # gettext_lazy would come out in English.
        response = self.client.get(reverse("logins_recovery_codes"), follow=True)
        self.assertRedirects(response, reverse("logins_manage"))
        self.assertContains(response, "Les codes ne se montrent qu une fois.")

    def test_a_block_error_is_in_french(self):
        block = our_blocks.CallToActionBlock()
        value = block.to_python({"title": "Read more", "link_text": "The framework", "page": None, "url": ""})
        with translation.override("fr"):
            with self.assertRaises(wagtail_blocks.StructBlockValidationError) as raised:
                block.clean(value)
            self.assertEqual(raised.exception.block_errors["page"].messages, ["Choisissez une page ou une adresse."])

    def test_the_two_factor_page_is_in_french(self):
        response = self.client.get(reverse("logins_manage"))
        self.assertContains(response, "Double authentification")
        self.assertContains(response, "Activer la double authentification")
