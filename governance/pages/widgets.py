"""Form widgets of the portal pages: the searchable picker.

PickerWidget replaces a raw code input or a long <select> wherever a page or a filter asks for
a division, a person or a household. It renders a search box, which asks /pick/<key>/
(governance/pages/pickers.py) for choices as the visitor types, and a hidden input holding the
chosen record's key (a division's code, a person's id): the form receives the key exactly as
from a <select> or a code input, so the field validates it as before (a ModelChoiceField against
its restricted queryset: a key outside the visitor's scope is a field error).

    household = forms.ModelChoiceField(Household.objects.none(), widget=PickerWidget("villages.household"))
    division = django_filters.CharFilter(method="filter_subtree", widget=PickerWidget("villages.division"))

`key` names a picker an app registered (governance.registry.Registry.add_picker); `within`
offers only records in a division's subtree, `at` only those of the division itself.

Editing, the box shows the current value's label, looked up (one query) among the rows the
field may take: a ModelChoiceField's queryset, or, for other fields (a filter set's), the
picker's restricted queryset once bind_pickers(form, user) has run (ScopedFilterListView does).
A key that is not found there shows as itself: nothing out of scope is ever named.

Without a pick, what the visitor typed is the value: an exact code still works (and a name
that is no key is the field's error, as a wrong code was). The rule, in value_from_datadict: the
hidden key counts while the box still shows the label it was rendered or picked with; once the
box says something else, the box's text does; a URL without the box (?division=<code>, a link
from another page) gives the key alone.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from governance.registry import registry

SEARCH_SUFFIX = "__q"  # the search box: what the visitor typed
LABEL_SUFFIX = "__label"  # the label the box showed when the key was set


class PickerWidget(forms.Widget):
    template_name = "governance/picker_widget.html"

    def __init__(self, key: str, *, within: str | None = None, at: str | None = None, placeholder=None, attrs=None):
        super().__init__(attrs)
        self.key = key
        self.within = within
        self.at = at
        self.placeholder = placeholder
        # The rows whose labels the box may show; a ModelChoiceField's own queryset otherwise.
        self.queryset = None

    def value_from_datadict(self, data, files, name):
        key = data.get(name)
        typed = data.get(name + SEARCH_SUFFIX)
        if typed is None:  # no search box submitted: a URL or a link gives the key alone
            return key
        typed = typed.strip()
        if key and typed == (data.get(name + LABEL_SUFFIX) or "").strip():
            return key
        return typed

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and name + SEARCH_SUFFIX not in data

    def scope_queryset(self):
        if self.queryset is not None:
            return self.queryset
        return getattr(getattr(self, "choices", None), "queryset", None)  # set by ModelChoiceField

    def label_for(self, key: str) -> str | None:
        """The label of the record `key`, when it is among the rows the field may take."""
        picker = registry.pickers.get(self.key)
        scope = self.scope_queryset()
        if not key or "\x00" in key or picker is None or scope is None:
            return None
        try:
            found = picker.queryset().filter(pk__in=scope.values("pk")).filter(pk=key).first()
        except (TypeError, ValueError, ValidationError):  # a malformed key finds nothing
            return None
        return picker.label(found) if found is not None else None

    def search_url(self) -> str:
        query = {name: value for name, value in (("within", self.within), ("at", self.at)) if value}
        return reverse("pick", args=[self.key]) + (f"?{urlencode(query)}" if query else "")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        key = widget["value"] or ""
        shown = self.label_for(key) or key
        widget["attrs"].setdefault("placeholder", self.placeholder or _("输入名称搜索"))
        widget.update(
            key=key,
            shown=shown,
            search_name=name + SEARCH_SUFFIX,
            label_name=name + LABEL_SUFFIX,
            url=self.search_url(),
            results_id=f"{widget['attrs'].get('id') or name}-choices",
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The portal's template engine (templates/governance/picker_widget.html), not the form
        # renderer's, which reads only Django's own widget templates and the apps'.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


def bind_pickers(form, user) -> None:
    """Let the pickers of a form without model choice fields (a filter set's form) name their
    current value: its label is looked up among the records `user` may view."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, PickerWidget) and not isinstance(field, forms.ModelChoiceField):
            picker = registry.pickers.get(widget.key)
            if picker is not None:
                widget.queryset = picker.queryset().restrict(user, "view")
