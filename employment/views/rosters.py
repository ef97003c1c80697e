"""Placeholder until the pages land (issue 12)."""

from django.http import Http404


def roster_index(request, **kwargs):
    raise Http404


def roster_download(request, **kwargs):
    raise Http404


def roster_upload(request, **kwargs):
    raise Http404


def roster_import(request, **kwargs):
    raise Http404
