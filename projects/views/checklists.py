"""The bureau's lists: the 四有 checklist of industry projects and the rural-construction
positive and negative lists. Everyone in the library reads them; the bureau edits them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaiyuan.accounts.capabilities import require, user_can
from kaiyuan.accounts.decorators import capability_required
from kaiyuan.common.errors import DomainError
from kaiyuan.common.rules import add_refusal_to_form
from projects.forms.checklists import ConstructionItemForm, FourHavesItemForm
from projects.models import ConstructionListItem, FourHavesItem
from projects.services import checklists as services

Kind = ConstructionListItem.Kind


@capability_required("projects.use")
def checklists(request):
    items = list(ConstructionListItem.objects.order_by("kind", "-active", "order", "id"))
    return render(
        request,
        "projects/checklists/lists.html",
        {
            "four_haves": FourHavesItem.objects.order_by("order", "id"),
            "lists": [(kind, [item for item in items if item.kind == kind]) for kind in Kind],
            "may_edit": user_can(request.user, "projects.lists_edit"),
        },
    )


@capability_required("projects.use")
def four_haves_edit(request, pk: int):
    require(request.user, "projects.lists_edit")
    item = get_object_or_404(FourHavesItem, pk=pk)
    form = FourHavesItemForm(
        request.POST or None,
        initial={"label": item.label, "order": item.order, "active": item.active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.four_haves_item_save(item=item, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The 四有 item was saved."))
            return redirect("projects:checklists")
    return render(
        request,
        "projects/checklists/item_form.html",
        {"form": form, "item": item, "title": _("Edit a 四有 item")},
    )


@capability_required("projects.use")
def construction_item_create(request):
    require(request.user, "projects.lists_edit")
    kind = request.GET.get("kind")
    form = ConstructionItemForm(
        request.POST or None, initial={"kind": kind if kind in Kind.values else Kind.POSITIVE}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.construction_item_save(item=None, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The item was added to the list."))
            return redirect("projects:checklists")
    return render(
        request,
        "projects/checklists/item_form.html",
        {"form": form, "item": None, "title": _("Add a rural-construction list item")},
    )


@capability_required("projects.use")
def construction_item_edit(request, pk: int):
    require(request.user, "projects.lists_edit")
    item = get_object_or_404(ConstructionListItem, pk=pk)
    form = ConstructionItemForm(
        request.POST or None,
        item=item,
        initial={"text": item.text, "order": item.order, "active": item.active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.construction_item_save(
                item=item, kind=item.kind, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc, user=request.user)
        else:
            messages.success(request, _("The item was saved."))
            return redirect("projects:checklists")
    return render(
        request,
        "projects/checklists/item_form.html",
        {
            "form": form,
            "item": item,
            "title": _("Edit an item of the %(list)s") % {"list": item.get_kind_display()},
        },
    )


@require_POST
@capability_required("projects.use")
def construction_item_retire(request, pk: int):
    """Retire an item (or put a retired one back in use) in one click from the lists."""
    require(request.user, "projects.lists_edit")
    item = get_object_or_404(ConstructionListItem, pk=pk)
    try:
        services.construction_item_save(
            item=item,
            kind=item.kind,
            text=item.text,
            order=item.order,
            active=not item.active,
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("“%(item)s” is in use again.") % {"item": item.text}
            if item.active
            else _("“%(item)s” was retired.") % {"item": item.text},
        )
    return redirect("projects:checklists")
