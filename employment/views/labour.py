"""Placeholder until the pages land (issue 12)."""

from django.http import Http404


def labour_force(request, **kwargs):
    raise Http404


def flagged(request, **kwargs):
    raise Http404
