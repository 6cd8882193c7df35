"""What the page editor shows staff beyond the fields: a DG page lists the thematic areas that name
it (live and in drafts), each with its edit link; a thematic area names its DGs in full."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from partnership.models import DirectorateGeneralPage, ThematicAreaPage

from .utils import LoadedSiteMixin, soup


class EditorPanelTests(LoadedSiteMixin, WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-test-password-1")
        editor.groups.add(Group.objects.get(name="Editors"))
        cls.editor = editor

    def setUp(self):
        self.client.force_login(self.editor)

    def areas_listed(self, dg):
        html = soup(self.client.get(reverse("wagtailadmin_pages:edit", args=[dg.pk])))
        items = html.select(".partnership-pages-naming-this li")
        return {
            item.a.get_text(strip=True): (item.a["href"], " ".join(item.select_one(".w-status").get_text().split()))
            for item in items
        }

    def test_a_dg_lists_the_areas_that_name_it_live_and_in_drafts(self):
        dg = DirectorateGeneralPage.objects.filter(thematic_areas__live=True).first()
        live_areas = list(dg.thematic_areas.live())
        self.assertTrue(live_areas)
        listed = self.areas_listed(dg)
        for area in live_areas:
            self.assertEqual(listed[area.title], (reverse("wagtailadmin_pages:edit", args=[area.pk]), "Live"))

        # An area that does not name it yet does so in a draft; one that does drops it in a draft.
        other = ThematicAreaPage.objects.live().exclude(directorates_general=dg).first()
        other.directorates_general.add(dg)
        other.save_revision()
        dropping = live_areas[0]
        dropping.directorates_general.remove(dg)
        dropping.save_revision()
        listed = self.areas_listed(dg)
        self.assertEqual(listed[other.title][1], "In an unpublished draft")
        self.assertEqual(listed[dropping.title][1], "Live; an unpublished draft removes it")

        # A new area, never published, that names it.
        index = other.get_parent()
        new = index.add_child(
            instance=ThematicAreaPage(title="A new area", summary="New.", group=other.group, live=False)
        )
        new.directorates_general.add(dg)
        new.save()
        self.assertEqual(self.areas_listed(dg)["A new area"][1], "Draft, never published")

    def test_a_dg_no_area_names_says_so(self):
        dg = DirectorateGeneralPage.objects.exclude(thematic_areas__isnull=False).first()
        if dg is None:
            dg = DirectorateGeneralPage.objects.first()
            for area in dg.thematic_areas.all():
                area.directorates_general.remove(dg)
                area.save()
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[dg.pk]))
        self.assertContains(response, "No thematic area names this Directorate-General yet.")

    def test_a_thematic_area_names_its_dgs_in_full(self):
        area = ThematicAreaPage.objects.live().first()
        html = soup(self.client.get(reverse("wagtailadmin_pages:edit", args=[area.pk])))
        boxes = html.select("input[name=directorates_general]")
        labels = {" ".join(box.find_parent("label").get_text().split()) for box in boxes}
        expected = {f"{dg.full_name} ({dg.acronym})" for dg in DirectorateGeneralPage.objects.all()}
        self.assertEqual(labels, expected)
        headings = [heading.get_text(strip=True) for heading in html.select("[data-panel-heading-text]")]
        self.assertIn("Directorates-General", headings)  # the field's label, not "Directorates general"
