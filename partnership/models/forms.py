"""Admin forms of page types whose fields must be checked against other pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class DirectorateGeneralPageForm(WagtailAdminPageForm):
    def clean_acronym(self):
        """Each DG's acronym is its own (the database refuses a second one): say so in the form,
        for drafts too, instead of failing on save. Compared without regard to case."""
        acronym = self.cleaned_data.get("acronym", "")
        if not acronym:
            return acronym
        model = self._meta.model
        other = model.objects.filter(acronym__iexact=acronym).exclude(pk=self.instance.pk).first()
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
            field.queryset = field.queryset.order_by("path")
