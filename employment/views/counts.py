"""Placeholder until the pages land (issue 12)."""

from django.http import Http404


def index(request, **kwargs):
    raise Http404


def count(request, **kwargs):
    raise Http404


def count_export(request, **kwargs):
    raise Http404
