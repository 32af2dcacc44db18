"""Template helpers of the portal pages: personal-data masking, history links, form widgets."""

from django import forms, template
from django.urls import reverse

from governance.privacy import masked, may_see_personal_data

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, person, field_name: str) -> str:
    """A person's ID number or phone, masked unless the viewer may see personal data there.

    `{% personal person "id_number" %}`. The rule lives in villages.privacy; the user's grants
    are cached on the request's user, so a list of many people costs no extra query.
    """
    value = getattr(person, field_name) or ""
    visible = may_see_personal_data(context["request"].user, person.division_id)
    return masked({field_name: value}, visible)[field_name]


@register.simple_tag
def history_url(obj) -> str:
    """The URL of the audit history page of a record."""
    meta = obj._meta
    return reverse("history", args=[meta.app_label, meta.model_name, obj.pk])


@register.filter
def bootstrap(field):
    """Render a bound form field's widget with Bootstrap's class for its kind."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select form-select-sm"
    else:
        css = "form-control form-control-sm"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
