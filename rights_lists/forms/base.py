"""What the rights_lists forms share: Bootstrap's classes, large on a phone's screen, a numeric
keyboard for counts, and a date input that offers no day after today."""

from __future__ import annotations

from django import forms

from governance.clock import today
from rights_lists.choices import Body
from villages.forms import BootstrapFormMixin


def date_widget(*, max_today: bool = True) -> forms.DateInput:
    attrs = {"type": "date"}
    if max_today:
        attrs["max"] = today().isoformat()
    return forms.DateInput(attrs=attrs, format="%Y-%m-%d")


class RightsListsFormMixin(BootstrapFormMixin):
    """Bootstrap's classes, large on a phone's screen, and a numeric keyboard for counts."""

    def style_fields(self) -> None:
        super().style_fields()
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            if css in ("form-control", "form-select"):
                field.widget.attrs["class"] = f"{css} {css}-lg"
            if isinstance(field, forms.IntegerField):
                field.widget.attrs.setdefault("inputmode", "numeric")


def body_choices(bodies) -> list[tuple[str, str]]:
    return [(body, Body(body).label) for body in bodies]
