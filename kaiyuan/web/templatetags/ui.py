"""Small template helpers of the UI shell."""

from __future__ import annotations

from django import forms, template

from kaiyuan.accounts.capabilities import user_can
from kaiyuan.common.money import format_yuan

register = template.Library()


@register.filter
def bootstrap(field):
    """Render a bound field's widget with the Bootstrap class that fits it, marking errors."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def widget_kind(field) -> str:
    """How partials/form.html lays a field out: "choices" (radio buttons or check boxes, a
    fieldset whose legend names the question), "checkbox" (one box, its label after it) or
    "input" (a label above the control)."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def can(user, capability: str) -> bool:
    """``{% if user|can:"cases.county_decide" %}``: the capability matrix, in templates."""
    return user_can(user, capability)


@register.filter
def yuan(amount) -> str:
    """``{{ project.total_investment|yuan }}``: money as the messages and exports write it,
    thousands separated, two places ("1,000,000.00"); empty for no amount. (Django's zh-hans
    number format has no thousands separator.)"""
    if amount is None or amount == "":
        return ""
    return format_yuan(amount)
