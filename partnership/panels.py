"""Editor panels of our own: read-only information drawn from the page being edited. Imports nothing
of ours: the page model provides what a panel shows."""

from wagtail.admin.panels import Panel


class PagesNamingThisPanel(Panel):
    """A list of the pages that point to this one, each with its edit link, from a method of the page
    (`source`, returning (page, status) pairs). Read-only: those pages are changed in their own editor.
    A Panel rather than a HelpPanel, because it renders from the instance."""

    def __init__(self, source, heading="", help_text="", empty_text="", **kwargs):
        super().__init__(heading=heading, help_text=help_text, **kwargs)
        self.source = source
        self.empty_text = empty_text

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs.update(source=self.source, empty_text=self.empty_text)
        return kwargs

    class BoundPanel(Panel.BoundPanel):
        template_name = "staff/panels/pages_naming_this.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["pages"] = getattr(self.instance, self.panel.source)() if self.instance.pk else []
            context["empty_text"] = self.panel.empty_text
            return context
