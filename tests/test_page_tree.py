"""The page tree rules: which page types may sit where, how many may exist, and what each declares.

The declared rules are checked against Wagtail's own resolution of them (a rule only counts if both
the parent's `subpage_types` and the child's `parent_page_types` agree), and `max_count` is checked
on a real tree, because that is where Wagtail applies it.
"""

from django.utils.functional import Promise
from wagtail.models import Page, get_page_models
from wagtail.search import index
from wagtail.test.utils import WagtailPageTestCase

from partnership.models import (
    DirectorateGeneralIndexPage,
    DirectorateGeneralPage,
    FrameworkPage,
    PartnershipOverviewPage,
    StandardPage,
    ThematicAreaIndexPage,
    ThematicAreaPage,
)

from .factories import site_tree

PAGE_MODELS = [
    PartnershipOverviewPage,
    FrameworkPage,
    DirectorateGeneralIndexPage,
    DirectorateGeneralPage,
    ThematicAreaIndexPage,
    ThematicAreaPage,
    StandardPage,
]

# The tree as the site is designed: (page type, its only parents, its only children).
TREE_RULES = [
    (
        PartnershipOverviewPage,
        {Page},
        {FrameworkPage, DirectorateGeneralIndexPage, ThematicAreaIndexPage, StandardPage},
    ),
    (FrameworkPage, {PartnershipOverviewPage}, set()),
    (DirectorateGeneralIndexPage, {PartnershipOverviewPage}, {DirectorateGeneralPage}),
    (DirectorateGeneralPage, {DirectorateGeneralIndexPage}, set()),
    (ThematicAreaIndexPage, {PartnershipOverviewPage}, {ThematicAreaPage}),
    (ThematicAreaPage, {ThematicAreaIndexPage}, set()),
    (StandardPage, {PartnershipOverviewPage, StandardPage}, {StandardPage}),
]

SINGLETONS = [PartnershipOverviewPage, FrameworkPage, DirectorateGeneralIndexPage, ThematicAreaIndexPage]


class PageTypeRulesTests(WagtailPageTestCase):
    def test_the_rules_cover_every_page_type_of_the_app(self):
        # A new page type added to the app without being added here would escape every test below.
        app_page_models = {model for model in get_page_models() if model._meta.app_label == "partnership"}
        self.assertEqual(app_page_models, set(PAGE_MODELS))
        self.assertEqual({model for model, _, _ in TREE_RULES}, set(PAGE_MODELS))

    def test_allowed_parent_page_types(self):
        for model, parents, _ in TREE_RULES:
            with self.subTest(model=model.__name__):
                self.assertAllowedParentPageTypes(model, parents)

    def test_allowed_subpage_types(self):
        for model, _, children in TREE_RULES:
            with self.subTest(model=model.__name__):
                self.assertAllowedSubpageTypes(model, children)

    def test_only_the_overview_can_be_created_at_the_root(self):
        # The root's own rules allow any page type, so it is the children's parent_page_types that keep
        # every other page type away from the top of the tree.
        self.assertCanCreateAt(Page, PartnershipOverviewPage)
        for model in PAGE_MODELS:
            if model is not PartnershipOverviewPage:
                with self.subTest(model=model.__name__):
                    self.assertCanNotCreateAt(Page, model)

    def test_the_overview_is_never_a_child_of_a_site_page(self):
        for model in PAGE_MODELS:
            with self.subTest(parent=model.__name__):
                self.assertCanNotCreateAt(model, PartnershipOverviewPage)

    def test_directorate_general_pages_only_under_their_index(self):
        self.assertCanCreateAt(DirectorateGeneralIndexPage, DirectorateGeneralPage)
        self.assertCanNotCreateAt(PartnershipOverviewPage, DirectorateGeneralPage)
        self.assertCanNotCreateAt(ThematicAreaIndexPage, DirectorateGeneralPage)
        self.assertCanNotCreateAt(StandardPage, DirectorateGeneralPage)
        self.assertCanNotCreateAt(DirectorateGeneralIndexPage, ThematicAreaPage)
        self.assertCanNotCreateAt(DirectorateGeneralIndexPage, StandardPage)

    def test_thematic_area_pages_only_under_their_index(self):
        self.assertCanCreateAt(ThematicAreaIndexPage, ThematicAreaPage)
        self.assertCanNotCreateAt(PartnershipOverviewPage, ThematicAreaPage)
        self.assertCanNotCreateAt(DirectorateGeneralIndexPage, ThematicAreaPage)
        self.assertCanNotCreateAt(StandardPage, ThematicAreaPage)
        self.assertCanNotCreateAt(ThematicAreaIndexPage, DirectorateGeneralPage)
        self.assertCanNotCreateAt(ThematicAreaIndexPage, StandardPage)

    def test_standard_pages_under_the_overview_and_under_each_other(self):
        self.assertCanCreateAt(PartnershipOverviewPage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        for parent in (FrameworkPage, DirectorateGeneralPage, ThematicAreaPage):
            with self.subTest(parent=parent.__name__):
                self.assertCanNotCreateAt(parent, StandardPage)

    def test_sections_hang_off_the_overview_only(self):
        for model in (FrameworkPage, DirectorateGeneralIndexPage, ThematicAreaIndexPage):
            with self.subTest(model=model.__name__):
                self.assertCanCreateAt(PartnershipOverviewPage, model)
                self.assertCanNotCreateAt(StandardPage, model)
                self.assertCanNotCreateAt(ThematicAreaIndexPage, model)
                self.assertCanNotCreateAt(DirectorateGeneralIndexPage, model)

    def test_leaf_pages_have_no_children(self):
        for parent in (FrameworkPage, DirectorateGeneralPage, ThematicAreaPage):
            for child in PAGE_MODELS:
                with self.subTest(parent=parent.__name__, child=child.__name__):
                    self.assertCanNotCreateAt(parent, child)

    def test_only_the_singletons_are_limited_to_one(self):
        for model in PAGE_MODELS:
            with self.subTest(model=model.__name__):
                self.assertEqual(model.max_count, 1 if model in SINGLETONS else None)


class PageDeclarationsTests(WagtailPageTestCase):
    def test_every_page_type_declares_its_own_description(self):
        for model in PAGE_MODELS:
            with self.subTest(model=model.__name__):
                # Declared on the class itself, not inherited from another page type.
                self.assertIn("page_description", model.__dict__)
                # Text, or text marked for translation (tests/test_admin_translation.py), never a field.
                self.assertIsInstance(model.page_description, (str, Promise))
                self.assertTrue(model.get_page_description().strip())

    def test_page_descriptions_are_all_different(self):
        descriptions = [model.get_page_description() for model in PAGE_MODELS]
        self.assertEqual(len(descriptions), len(set(descriptions)))

    def test_every_page_type_indexes_title_summary_and_body(self):
        for model in PAGE_MODELS:
            with self.subTest(model=model.__name__):
                self.assertTrue(model.search_fields)
                searched = {f.field_name for f in model.search_fields if isinstance(f, index.SearchField)}
                self.assertLessEqual({"title", "summary", "body"}, searched)

    def test_directorate_general_pages_are_found_by_their_names(self):
        searched = {f.field_name for f in DirectorateGeneralPage.search_fields if isinstance(f, index.SearchField)}
        self.assertLessEqual({"acronym", "full_name", "remit"}, searched)
        filtered = {f.field_name for f in DirectorateGeneralPage.search_fields if isinstance(f, index.FilterField)}
        self.assertIn("framework_member", filtered)

    def test_search_fields_name_real_fields(self):
        # Wagtail only warns at check time about a search field that names nothing; fail here instead.
        for model in PAGE_MODELS:
            for search_field in model.search_fields:
                if isinstance(search_field, index.SearchField | index.FilterField):
                    with self.subTest(model=model.__name__, field=search_field.field_name):
                        model._meta.get_field(search_field.field_name)

    def test_every_field_of_our_own_has_help_text(self):
        # Fields Wagtail's Page brings (title, slug...) are Wagtail's; the ones declared on our models,
        # including the shared base's, are written for communications staff and must explain themselves.
        checked = 0
        for model in PAGE_MODELS:
            own_fields = model._meta.local_fields + model._meta.local_many_to_many
            for field in own_fields:
                if field.auto_created or getattr(field.remote_field, "parent_link", False):
                    continue
                checked += 1
                with self.subTest(model=model.__name__, field=field.name):
                    self.assertTrue(str(field.help_text).strip(), f"{model.__name__}.{field.name} has no help text")
        # summary, body and social_image on each of the seven types, plus the 13 the types add.
        self.assertGreaterEqual(checked, 7 * 3 + 13)


class PageTreeInstanceTests(WagtailPageTestCase):
    """`can_create_at` on real pages: the parent rules and `max_count` together, as the admin applies them."""

    @classmethod
    def setUpTestData(cls):
        tree = site_tree()
        for name, page in tree.items():
            setattr(cls, name, page)

    def test_no_second_singleton_while_one_exists(self):
        self.assertFalse(PartnershipOverviewPage.can_create_at(self.root))
        for model in (FrameworkPage, DirectorateGeneralIndexPage, ThematicAreaIndexPage):
            with self.subTest(model=model.__name__):
                self.assertFalse(model.can_create_at(self.overview))

    def test_max_count_is_what_blocks_the_singletons(self):
        # Remove each singleton and the same parent accepts one again: the rule at work is max_count,
        # not the parent rules.
        for model in (FrameworkPage, DirectorateGeneralIndexPage, ThematicAreaIndexPage):
            with self.subTest(model=model.__name__):
                model.objects.get().delete()
                self.assertTrue(model.can_create_at(self.overview))
        PartnershipOverviewPage.objects.get().delete()
        self.assertTrue(PartnershipOverviewPage.can_create_at(self.root))

    def test_the_admin_offers_no_second_singleton(self):
        overview = Page.objects.get(pk=self.overview.pk)
        offered = {
            model for model in overview.specific_class.creatable_subpage_models() if model.can_create_at(overview)
        }
        self.assertEqual(offered, {StandardPage})

    def test_pages_without_a_limit_can_be_added_next_to_existing_ones(self):
        self.assertTrue(DirectorateGeneralPage.can_create_at(self.dg_index))
        self.assertTrue(ThematicAreaPage.can_create_at(self.area_index))
        self.assertTrue(StandardPage.can_create_at(self.overview))
        self.assertTrue(StandardPage.can_create_at(self.about))

    def test_pages_cannot_be_created_under_the_wrong_section(self):
        self.assertFalse(DirectorateGeneralPage.can_create_at(self.area_index))
        self.assertFalse(DirectorateGeneralPage.can_create_at(self.overview))
        self.assertFalse(ThematicAreaPage.can_create_at(self.dg_index))
        self.assertFalse(ThematicAreaPage.can_create_at(self.overview))
        self.assertFalse(StandardPage.can_create_at(self.dg))
        self.assertFalse(StandardPage.can_create_at(self.area))
        self.assertFalse(StandardPage.can_create_at(self.framework))

    def test_pages_cannot_be_moved_out_of_their_section(self):
        self.assertFalse(self.dg.can_move_to(self.area_index))
        self.assertFalse(self.area.can_move_to(self.dg_index))
        self.assertFalse(self.framework.can_move_to(self.about))
        self.assertTrue(self.about.can_move_to(self.overview))
