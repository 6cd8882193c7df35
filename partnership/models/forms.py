"""Admin forms of page types whose fields must be checked against other pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class DirectorateGeneralPageForm(WagtailAdminPageForm):
    def clean_acronym(self):
        """Each DG's acronym is its own within its language: say so in the form, for drafts too
        (Wagtail's views save a draft without the model's clean(), which checks it again when the
        page is published). Compared without regard to case, within the page's locale (a new
        page's is its parent's, set by the create view before the form is built)."""
        acronym = self.cleaned_data.get("acronym", "")
        if not acronym:
            return acronym
        other = self.instance.acronym_holder(acronym)
        if other is not None:
            raise forms.ValidationError(
                _(
                    "The Directorate-General page '%(title)s' already uses the acronym %(acronym)s. "
                    "Each Directorate-General needs an acronym of its own."
                ),
                code="unique",
                params={"title": other.title, "acronym": other.acronym},
            )
        return acronym


class ThematicAreaPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each DG by its full name and acronym, as visitors read it, not by its page title.
        field = self.fields.get("directorates_general")
        if field is not None:
            field.label_from_instance = lambda dg: f"{dg.full_name} ({dg.acronym})"
            # The DGs of the area's own language (a new page's is its parent's, set by Wagtail's
            # create view before the form is built): not each DG once per language.
            field.queryset = field.queryset.filter(locale_id=self.instance.locale_id).order_by("path")
