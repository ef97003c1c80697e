"""Placeholder until the pages land (issue 12)."""

from django.http import Http404


def training_list(request, **kwargs):
    raise Http404


def training_new(request, **kwargs):
    raise Http404


def training_detail(request, **kwargs):
    raise Http404


def training_edit(request, **kwargs):
    raise Http404


def trainee_add(request, **kwargs):
    raise Http404


def trainee_edit(request, **kwargs):
    raise Http404


def trainee_remove(request, **kwargs):
    raise Http404
