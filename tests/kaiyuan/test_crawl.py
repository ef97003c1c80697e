"""Every page a demo user can reach by following links from the home page answers without a
server error, on PostgreSQL and on the embedded SQLite of ``make run``.

One small demo county is seeded; each demo role logs in and walks its links breadth first (GET
only, this site only). Pages that differ only by the numbers in their address (household 12,
household 13, page 2 ...) are the same view with the same queries, so a few of each are
visited: the crawl stays short yet reaches every view a link leads to.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from kaiyuan.accounts.models import User

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]

# One login of each demo role (README.md, "Demo logins").
DEMO_USERS = (
    "admin",
    "bureau",
    "finance",
    "leader",
    "auditor",
    "dept_medical",
    "clerk_211282104",
    "grid_211282104201",
)
# Not pages: logging out ends the walk, downloads are files (their jobs have their own tests),
# and the Django admin is Django's own (its links are endless: every filter of every table).
SKIPPED = ("/accounts/logout/", "/static/", "/media/", "/admin/", "/jobs/")
SKIPPED_SUFFIXES = ("/download/", ".pdf", ".xlsx")
PER_SHAPE = 2
MAX_PAGES = 250


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _same_site_path(href: str) -> str | None:
    href, _fragment = urldefrag(href.strip())
    parts = urlsplit(href)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/"):
        return None
    path = parts.path
    if path.startswith(SKIPPED) or path.endswith(SKIPPED_SUFFIXES):
        return None
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{path}?{query}" if query else path


def _shape(url: str) -> str:
    """The view behind a URL, roughly: its numbers and query values blanked."""
    path, _, query = url.partition("?")
    names = sorted({name for name, _value in parse_qsl(query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", path) + "?" + "&".join(names)


def _crawl(client: Client) -> tuple[list[str], int]:
    """Visit the site breadth first from the home page; return the failures and the count."""
    queue, seen, shapes = deque(["/"]), {"/"}, {}
    failures, visited = [], 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code >= 500:
            failures.append(f"{url} answered {response.status_code}")
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = _same_site_path(href)
            if target is None or target in seen:
                continue
            seen.add(target)
            shape = _shape(target)
            if shapes.get(shape, 0) >= PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(target)
    return failures, visited


def test_every_page_linked_for_each_demo_role_answers_without_a_server_error():
    call_command("seed_demo", households=40, seed=2024, verbosity=0)
    failures = []
    for username in DEMO_USERS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        role_failures, visited = _crawl(client)
        assert visited > 5, f"{username} reached only {visited} pages: the crawl is broken"
        failures += [f"{username}: {failure}" for failure in role_failures]
    assert not failures, "\n".join(failures)
