"""The site's page types, from the overview (the home page) down."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import DialogueMechanismBlock, KeyFigureBlock, MilestoneBlock
from ..panels import PagesNamingThisPanel
from .base import BasePage, page_tabs, without_private_pages
from .forms import DirectorateGeneralPageForm, ThematicAreaPageForm


def live_children(page, model):
    """The published, public children of `page` of one type, in the order editors set in the tree."""
    return without_private_pages(model.objects.child_of(page).live()).order_by("path")


def when_shown(compute):
    """`compute()`, worked out the first time a template reads it, and not at all when the page's
    content comes from the fragment cache (templates/base.html): the listings a page shows cost
    no query then."""
    return SimpleLazyObject(compute)


class PartnershipOverviewPage(BasePage):
    key_figures = StreamField(
        [("key_figure", KeyFigureBlock())],
        blank=True,
        verbose_name=_("key figures"),
        help_text=_("Headline figures shown near the top of the home page. Give each one its source."),
    )
    milestones = StreamField(
        [("milestone", MilestoneBlock())],
        blank=True,
        verbose_name=_("milestones"),
        help_text=_("The partnership's history as a timeline, oldest first."),
    )

    content_panels = BasePage.content_panels + [
        HelpPanel(
            content=_(
                "The home page also lists the framework, the Directorates-General and the "
                "thematic areas. Those lists come from the published pages themselves: edit those "
                "pages to change what shows here."
            )
        ),
    ]
    edit_handler = page_tabs(
        content_panels, _("Figures and timeline"), [FieldPanel("key_figures"), FieldPanel("milestones")]
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "partnership.FrameworkPage",
        "partnership.DirectorateGeneralIndexPage",
        "partnership.ThematicAreaIndexPage",
        "partnership.StandardPage",
    ]
    max_count = 1
    page_description = _("The home page: an overview of the IOM–EU partnership.")

    class Meta:
        verbose_name = _("partnership overview (home page)")

    def get_sections(self):
        """The framework page and the two index pages under the home page, live and public, in one
        query: each is a plain Page carrying its own type's summary, which is all the home page
        shows of them (fetching each as its own type would cost a query per type)."""
        section_types = (FrameworkPage, DirectorateGeneralIndexPage, ThematicAreaIndexPage)
        summaries = [Subquery(model.objects.filter(pk=OuterRef("pk")).values("summary")[:1]) for model in section_types]
        children = (
            Page.objects.child_of(self)
            .live()
            .filter(content_type__in=[ContentType.objects.get_for_model(model) for model in section_types])
            .annotate(section_summary=Coalesce(*summaries, Value(""), output_field=models.TextField()))
            .order_by("path")
        )
        sections = {}
        for child in without_private_pages(children):
            child.summary = child.section_summary
            sections.setdefault(child.specific_class, child)
        return [sections.get(model) for model in section_types]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = when_shown(self.get_sections)
        context["framework"] = when_shown(lambda: sections[0])
        context["dg_index"] = dg_index = when_shown(lambda: sections[1])
        context["directorates_general"] = when_shown(
            lambda: list(live_children(dg_index, DirectorateGeneralPage)) if dg_index else []
        )
        context["area_index"] = area_index = when_shown(lambda: sections[2])
        context["thematic_areas"] = when_shown(
            lambda: list(live_children(area_index, ThematicAreaPage)) if area_index else []
        )
        return context


class FrameworkPage(BasePage):
    established = models.CharField(
        max_length=40,
        verbose_name=_("established"),
        help_text=_("When the framework was set up, as visitors should read it, e.g. 'July 2012'."),
    )
    dialogues = StreamField(
        [("dialogue", DialogueMechanismBlock())],
        blank=True,
        verbose_name=_("dialogues"),
        help_text=_("The regular meetings held under the framework."),
    )

    edit_handler = page_tabs(
        BasePage.content_panels,
        _("Framework"),
        [
            FieldPanel("established"),
            FieldPanel("dialogues"),
            HelpPanel(
                content=_(
                    "The list of members comes from the Directorate-General pages marked as "
                    "framework members: change it there."
                )
            ),
        ],
    )

    parent_page_types = ["partnership.PartnershipOverviewPage"]
    subpage_types = []
    max_count = 1
    page_description = _("The Strategic Cooperation Framework: what it is, who takes part, how it meets.")

    class Meta:
        verbose_name = _("Strategic Cooperation Framework page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["members"] = when_shown(lambda: list(self.get_members()))
        return context

    def get_members(self):
        members = DirectorateGeneralPage.objects.live().filter(framework_member=True, locale_id=self.locale_id)
        return without_private_pages(members).order_by("path")


class DirectorateGeneralIndexPage(BasePage):
    parent_page_types = ["partnership.PartnershipOverviewPage"]
    subpage_types = ["partnership.DirectorateGeneralPage"]
    max_count = 1
    page_description = _("Lists the EU Directorates-General and services IOM works with.")

    class Meta:
        verbose_name = _("Directorates-General index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        bodies = when_shown(lambda: list(live_children(self, DirectorateGeneralPage)))
        context["framework_members"] = when_shown(lambda: [dg for dg in bodies if dg.framework_member])
        context["other_bodies"] = when_shown(lambda: [dg for dg in bodies if not dg.framework_member])
        return context


class DirectorateGeneralPage(BasePage):
    COMMISSION_DG = "commission_dg"
    EEAS = "eeas"
    KIND_CHOICES = [
        (COMMISSION_DG, _("European Commission Directorate-General")),
        (EEAS, _("European External Action Service")),
    ]

    acronym = models.CharField(
        max_length=12,
        # Unique within a locale, which the database cannot hold (the locale is on Wagtail's page
        # table): clean() and the editor's form check it. The index keeps lookups by acronym fast.
        db_index=True,
        validators=[RegexValidator(r"^[A-Z]{2,12}$", _("Use capital letters only, e.g. HOME."))],
        verbose_name=_("acronym"),
        help_text=_("The EU's own short name, in capitals, e.g. HOME. Shown in lists and found by search."),
    )
    full_name = models.CharField(
        max_length=200,
        verbose_name=_("full name"),
        help_text=_("The official name, e.g. 'Directorate-General for Migration and Home Affairs'."),
    )
    kind = models.CharField(
        max_length=20,
        choices=KIND_CHOICES,
        default=COMMISSION_DG,
        verbose_name=_("kind"),
        help_text=_("Whether this is a Commission Directorate-General or the EU's diplomatic service."),
    )
    framework_member = models.BooleanField(
        default=False,
        verbose_name=_("framework member"),
        help_text=_(
            "Tick if this body takes part in the Strategic Cooperation Framework. Members are "
            "listed first, and on the framework page."
        ),
    )
    remit = models.TextField(
        max_length=600,
        validators=[MaxLengthValidator(600)],
        verbose_name=_("remit"),
        help_text=_("What this body is responsible for, in two or three sentences."),
    )
    website = models.URLField(
        blank=True,
        verbose_name=_("website"),
        help_text=_("Optional. The body's official website."),
    )

    search_fields = BasePage.search_fields + [
        index.SearchField("acronym", boost=5),
        index.SearchField("full_name", boost=3),
        index.SearchField("remit"),
        index.FilterField("framework_member"),
    ]
    edit_handler = page_tabs(
        BasePage.content_panels,
        _("Details"),
        [
            MultiFieldPanel(
                # Required for drafts too: a new page's first draft is stored as the page itself,
                # and lists, search and the content fixtures name a DG by its acronym.
                [FieldPanel("acronym", required_on_save=True), FieldPanel("full_name"), FieldPanel("kind")],
                heading=_("Name"),
            ),
            FieldPanel("framework_member"),
            FieldPanel("remit"),
            FieldPanel("website"),
            PagesNamingThisPanel(
                "thematic_areas_for_editors",
                heading=_("Thematic areas"),
                help_text=_(
                    "The thematic areas that name this Directorate-General, live or in a draft. "
                    "Visitors see the live ones on this page. To add or remove one, edit the thematic area "
                    "(its Details tab)."
                ),
                empty_text=_("No thematic area names this Directorate-General yet."),
            ),
        ],
    )

    base_form_class = DirectorateGeneralPageForm
    # Its official website is linked in every page's footer: the HTTP cache forgets every page
    # when one is published or unpublished (partnership/cache.py).
    shown_on_every_page = True
    parent_page_types = ["partnership.DirectorateGeneralIndexPage"]
    subpage_types = []
    page_description = _("One EU Directorate-General or service, its remit and the areas it works on with IOM.")

    class Meta:
        verbose_name = _("Directorate-General page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["areas"] = when_shown(lambda: list(self.get_thematic_areas()))
        return context

    def acronym_holder(self, acronym):
        """The other DG page of this page's language that has `acronym` (in any case), or None. A
        new page's language is its parent's, as Wagtail's create view and Page.save set it."""
        locale_id = self.locale_id if self.locale_id is not None else self.get_default_locale().pk
        others = DirectorateGeneralPage.objects.filter(locale_id=locale_id, acronym__iexact=acronym)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return others.order_by("path").first()

    def clean(self):
        """Each DG's acronym is its own within its language (a French DG HOME may sit beside the
        English one). The editor's form says so before a draft is saved (DirectorateGeneralPageForm);
        this is what publishing a draft that has gone stale since says (another page published the
        acronym while it waited for moderation or its go-live time), and partnership/publishing.py
        shows it to whoever approved or scheduled it."""
        errors = {}
        try:
            super().clean()  # the slug, unique among its siblings
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        holder = self.acronym_holder(self.acronym) if self.acronym else None
        if holder is not None:
            errors.setdefault("acronym", []).append(
                ValidationError(
                    _(
                        "%(acronym)s is already the acronym of '%(title)s'. "
                        "Each Directorate-General needs an acronym of its own."
                    ),
                    code="unique",
                    params={"acronym": self.acronym, "title": holder.title},
                )
            )
        if errors:
            raise ValidationError(errors)

    def thematic_areas_for_editors(self):
        """Every thematic area that names this DG, as (area, status) pairs, for the editor's Details
        tab: live ones, pages never published, and what unpublished drafts add or remove. A page's
        saved choice is its live one once it is live (Wagtail keeps a draft's in its revision)."""
        saved = set(self.thematic_areas.values_list("pk", flat=True))
        areas = []
        candidates = ThematicAreaPage.objects.filter(Q(pk__in=saved) | Q(live=True, has_unpublished_changes=True))
        for area in candidates.order_by("path"):
            named = area.pk in saved
            in_draft = named
            if area.live and area.has_unpublished_changes and area.latest_revision_id:
                in_draft = self.pk in area.latest_revision.content.get("directorates_general", [])
            if not area.live:
                status = _("Draft, never published")
            elif named and in_draft:
                status = _("Live")
            elif named:
                status = _("Live; an unpublished draft removes it")
            elif in_draft:
                status = _("In an unpublished draft")
            else:
                continue
            areas.append((area, status))
        return areas

    def get_thematic_areas(self):
        if self.pk is None:  # a new page in preview: nothing can name it yet
            return ThematicAreaPage.objects.none()
        return without_private_pages(self.thematic_areas.live()).order_by("path")


class ThematicAreaIndexPage(BasePage):
    parent_page_types = ["partnership.PartnershipOverviewPage"]
    subpage_types = ["partnership.ThematicAreaPage"]
    max_count = 1
    page_description = _("Lists the thematic areas of the cooperation, grouped by how the EU funds them.")

    class Meta:
        verbose_name = _("thematic areas index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        areas = when_shown(lambda: list(live_children(self, ThematicAreaPage)))
        context["groups"] = when_shown(
            lambda: [
                (label, [area for area in areas if area.group == value])
                for value, label in ThematicAreaPage.GROUP_CHOICES
            ]
        )
        return context


class ThematicAreaPage(BasePage):
    FUNDED_2013_2023 = "funded_2013_2023"
    ALSO_FUNDED = "also_funded"
    GROWING_SUPPORT = "growing_support"
    GROUP_CHOICES = [
        (FUNDED_2013_2023, _("Funded by the EU consistently from 2013 to 2023")),
        (ALSO_FUNDED, _("Also funded by the EU")),
        (GROWING_SUPPORT, _("Areas of growing support")),
    ]

    group = models.CharField(
        max_length=20,
        choices=GROUP_CHOICES,
        verbose_name=_("group"),
        help_text=_("Which group the thematic areas page lists this area under."),
    )
    image = models.ForeignKey(
        "partnership.PartnershipImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("Optional. An image or icon shown at the top of the page and in listings."),
    )
    directorates_general = ParentalManyToManyField(
        "partnership.DirectorateGeneralPage",
        blank=True,
        related_name="thematic_areas",
        verbose_name=_("Directorates-General"),
        help_text=_("The EU bodies IOM works with in this area. Each one's page lists this area too."),
    )

    edit_handler = page_tabs(
        BasePage.content_panels,
        _("Details"),
        [
            FieldPanel("group"),
            FieldPanel("image"),
            FieldPanel("directorates_general", widget=forms.CheckboxSelectMultiple),
        ],
    )

    base_form_class = ThematicAreaPageForm
    parent_page_types = ["partnership.ThematicAreaIndexPage"]
    subpage_types = []
    page_description = _("One thematic area of the cooperation, and the EU bodies involved.")

    class Meta:
        verbose_name = _("thematic area page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["dgs"] = when_shown(lambda: list(self.get_directorates_general()))
        return context

    def pages_that_show_it(self):
        # Each DG page lists the areas that name it: this area may have just named or dropped any.
        return [*super().pages_that_show_it(), *DirectorateGeneralPage.objects.live()]

    def get_directorates_general(self):
        # On a preview the choice lives in memory (a list); on the live page it is a subquery.
        chosen = self.directorates_general.all()
        ids = chosen.values("pk") if isinstance(chosen, models.QuerySet) else [dg.pk for dg in chosen]
        return without_private_pages(DirectorateGeneralPage.objects.filter(pk__in=ids).live()).order_by("path")


class StandardPage(BasePage):
    parent_page_types = ["partnership.PartnershipOverviewPage", "partnership.StandardPage"]
    subpage_types = ["partnership.StandardPage"]
    page_description = _("A general page of text, such as 'About' or 'Where we work'.")

    class Meta:
        verbose_name = _("standard page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A page with no children at all (the tree counts them) needs no query to say so.
        context["subpages"] = when_shown(lambda: list(live_children(self, StandardPage)) if self.numchild else [])
        return context

    def pages_that_show_it(self):
        # Below a section, its siblings list it in their side column ("In this section").
        return [*super().pages_that_show_it(), *self.get_siblings(inclusive=False).live().specific()]
