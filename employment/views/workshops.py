"""Placeholder until the pages land (issue 12)."""

from django.http import Http404


def workshop_list(request, **kwargs):
    raise Http404


def workshop_new(request, **kwargs):
    raise Http404


def workshop_detail(request, **kwargs):
    raise Http404


def workshop_edit(request, **kwargs):
    raise Http404
