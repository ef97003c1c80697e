"""Printable documents: a Django template rendered to PDF bytes with WeasyPrint.

Templates carry their own CSS and use the system's Noto CJK fonts. Nothing is ever fetched from
the network: relative URLs resolve against the project's static directory, and the fetcher
refuses any address that is not a local file or inline data.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

LOCAL_PROTOCOLS = frozenset({"file", "data"})

# WeasyPrint logs every rendering step at INFO; in the server log that is noise, not news.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _static_dir() -> str:
    dirs = getattr(settings, "STATICFILES_DIRS", None) or [settings.BASE_DIR / "kaiyuan" / "static"]
    return str(dirs[0]) + "/"


def render_pdf(
    template_name: str, context: dict[str, Any], *, language: str | None = None
) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF.

    Printed documents are official Chinese papers whoever prints them, so the template is
    rendered in ``language`` (default: the site's language), not the reader's UI language.
    """
    from weasyprint import HTML  # imported late: it loads Pango and fontconfig
    from weasyprint.urls import URLFetcher

    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    fetcher = URLFetcher(allowed_protocols=LOCAL_PROTOCOLS, allow_redirects=False)
    return HTML(string=html, base_url=_static_dir(), url_fetcher=fetcher).write_pdf()
