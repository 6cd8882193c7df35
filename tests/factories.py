"""Page trees for tests, built by factories (wagtail-factories on factory_boy): each factory makes a
valid page of its type under the parent it is given, with only what a test cares about to say."""

import factory
import wagtail_factories
from wagtail.models import Page

from partnership.models import (
    DirectorateGeneralIndexPage,
    DirectorateGeneralPage,
    FrameworkPage,
    PartnershipOverviewPage,
    StandardPage,
    ThematicAreaIndexPage,
    ThematicAreaPage,
)


class BasePageFactory(wagtail_factories.PageFactory):
    summary = factory.LazyAttribute(lambda page: f"About {page.title}.")

    class Meta:
        abstract = True


class OverviewFactory(BasePageFactory):
    title = "IOM and the EU"
    slug = "iom-eu"
    parent = factory.LazyFunction(Page.get_first_root_node)

    class Meta:
        model = PartnershipOverviewPage


class FrameworkFactory(BasePageFactory):
    title = "Framework"
    established = "July 2012"

    class Meta:
        model = FrameworkPage


class DirectorateGeneralIndexFactory(BasePageFactory):
    title = "Directorates-General"

    class Meta:
        model = DirectorateGeneralIndexPage


class DirectorateGeneralFactory(BasePageFactory):
    acronym = factory.Sequence(lambda n: f"DG{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    title = factory.LazyAttribute(lambda page: f"DG {page.acronym}")
    slug = factory.LazyAttribute(lambda page: page.acronym.lower())
    full_name = factory.LazyAttribute(lambda page: f"Directorate-General {page.acronym}")
    remit = "What this body is responsible for."

    class Meta:
        model = DirectorateGeneralPage


class ThematicAreaIndexFactory(BasePageFactory):
    title = "Thematic areas"

    class Meta:
        model = ThematicAreaIndexPage


class ThematicAreaFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Area {n}")
    group = ThematicAreaPage.ALSO_FUNDED

    class Meta:
        model = ThematicAreaPage


class StandardPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")

    class Meta:
        model = StandardPage


def site_tree():
    """The root -> overview -> sections tree, with one of every page type in place."""
    overview = OverviewFactory()
    dg_index = DirectorateGeneralIndexFactory(parent=overview)
    area_index = ThematicAreaIndexFactory(parent=overview)
    return {
        "root": Page.get_first_root_node(),
        "overview": overview,
        "framework": FrameworkFactory(parent=overview),
        "dg_index": dg_index,
        "dg": DirectorateGeneralFactory(
            parent=dg_index,
            acronym="HOME",
            title="Migration and Home Affairs",
            full_name="Directorate-General for Migration and Home Affairs",
        ),
        "area_index": area_index,
        "area": ThematicAreaFactory(
            parent=area_index, title="Return and reintegration", group=ThematicAreaPage.FUNDED_2013_2023
        ),
        "about": StandardPageFactory(parent=overview, title="About"),
    }
