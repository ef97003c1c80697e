"""Every URL of the site needs a login. The test walks the resolver, so new pages are covered
without anyone remembering to add them here."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# What an anonymous visitor may reach: the login page, and the API's token exchange (POST only,
# with a user name and password, so GET is refused as a method, not for lack of a login).
PUBLIC = {"/accounts/login/": 200, "/api/v1/auth/token/": 405}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _sample_url(pattern: str) -> str:
    """A concrete URL for a pattern: path converters and regex groups get sample values."""
    url = re.sub(r"\(\?P<format>[^)]*\)", "json", pattern)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url)
    url = re.sub(r"<drf_format_suffix:\w+>", ".json", url)
    url = re.sub(r"<int:\w+>", "1", url)
    url = re.sub(r"<path:\w+>", "x/y", url)
    url = re.sub(r"<(\w+:)?\w+>", "x", url)
    url = url.replace("^", "").replace("\\Z", "").replace("$", "").replace("/?", "/")
    url = url.replace("\\.", ".")
    return "/" + url.lstrip("/")


def _all_urls() -> list[str]:
    return sorted({_sample_url(p) for p in _walk(get_resolver().url_patterns)})


def test_the_walk_finds_the_site():
    urls = _all_urls()
    assert "/" in urls
    assert "/audit/" in urls
    assert "/api/v1/grids/" in urls
    assert len(urls) > 40


@pytest.mark.django_db
@pytest.mark.parametrize("url", _all_urls())
def test_anonymous_users_are_sent_to_the_login(client, url):
    if url in PUBLIC:
        assert client.get(url).status_code == PUBLIC[url]
        return
    response = client.get(url)
    if url.startswith("/api/") and not url.startswith(("/api/docs/", "/api/redoc/")):
        assert response.status_code in (401, 403), url
    else:
        assert response.status_code == 302, url
        # The admin sends its visitors through its own login URL, which leads to the same page.
        final = client.get(url, follow=True)
        assert final.request["PATH_INFO"] == "/accounts/login/", (url, final.redirect_chain)
        assert final.status_code == 200
