"""Placeholder until the pages land (issue 12)."""

from django.http import Http404


def post_list(request, **kwargs):
    raise Http404


def post_new(request, **kwargs):
    raise Http404


def post_detail(request, **kwargs):
    raise Http404


def post_edit(request, **kwargs):
    raise Http404


def post_end(request, **kwargs):
    raise Http404


def post_pay(request, **kwargs):
    raise Http404


def payment_reverse(request, **kwargs):
    raise Http404
