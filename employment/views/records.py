"""Placeholder until the pages land (issue 12)."""

from django.http import Http404


def record_list(request, **kwargs):
    raise Http404


def record_new(request, **kwargs):
    raise Http404


def record_detail(request, **kwargs):
    raise Http404


def record_edit(request, **kwargs):
    raise Http404


def record_end(request, **kwargs):
    raise Http404


def record_confirm(request, **kwargs):
    raise Http404


def record_review(request, **kwargs):
    raise Http404


def record_delete(request, **kwargs):
    raise Http404
