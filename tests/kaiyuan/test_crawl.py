"""Every page a demo user can reach by following links from the main pages answers without a
server error, on PostgreSQL and on the embedded SQLite of ``make run``; and no link shown to a
role leads to a page it may not open (403) or that is not there (404).

One small demo county is seeded; each demo role logs in and walks its links breadth first (GET
only, this site only) from the home page, the main pages of monitoring and households of its own
area. Pages that differ only by the numbers in their address (household 12,
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
from kaiyuan.accounts.roles import Role
from monitoring.models import Household

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]

# One login of each county-wide demo role (README.md, "Demo logins"); the township clerk and the
# grid worker are those of a village with households (the demo spreads few households thinly).
DEMO_USERS = (
    "admin",
    "bureau",
    "finance",
    "leader",
    "auditor",
    "dept_medical",
)
# Not pages: logging out ends the walk, downloads are files (their jobs have their own tests),
# and the Django admin is Django's own (its links are endless: every filter of every table).
SKIPPED = ("/accounts/logout/", "/static/", "/media/", "/admin/", "/jobs/")
SKIPPED_SUFFIXES = ("/download/", ".pdf", ".xlsx")
PER_SHAPE = 2
MAX_PAGES = 400
# Where each role's walk starts besides the home page: every main page of monitoring and the audit
# log, so a page the home page does not link for a role is still checked for its links.
MAIN_PAGES = (
    "/monitoring/",
    "/monitoring/households/",
    "/monitoring/lists/",
    "/monitoring/leads/",
    "/monitoring/warnings/",
    "/monitoring/visits/my-month/",
    "/monitoring/visits/coverage/",
    "/monitoring/cards/",
    "/monitoring/quality/",
    "/projects/library/",
    "/audit/",
    "/inbox/",
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


TITLE = re.compile(r"<title>(.*?)</title>", re.S)


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


def _start_pages(user: User) -> list[str]:
    """The main pages of the site, whether or not the home page links them for this role, and a
    few households of the user's own area (the detail page holds most of the action links)."""
    visible = Household.objects.visible_to(user).current().order_by("household_number")
    households = [
        visible.first(),
        visible.filter(monitoring_status=Household.MonitoringStatus.MONITORED).first(),
        visible.filter(cases__isnull=False).first(),
        visible.filter(warnings__isnull=False).first(),
    ]
    pages = ["/", *MAIN_PAGES]
    first = households[0]
    if first is not None:
        pages.append(f"/monitoring/households/search/?q={first.head_name}")
    pages += [f"/monitoring/households/{h.pk}/" for h in households if h is not None]
    return list(dict.fromkeys(pages))


def _crawl(client: Client, start: list[str]) -> tuple[list[str], int]:
    """Visit the site breadth first from the start pages; return the failures and the count.

    A start page may be closed to the role (a grid worker has no county list): only a link may
    not lead to a refusal or a missing page."""
    queue, seen, shapes = deque((url, "") for url in start), set(start), {}
    failures, visited = [], 0
    while queue and visited < MAX_PAGES:
        url, referrer = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code >= 500 or (referrer and response.status_code in (403, 404)):
            failures.append(f"{url} (linked from {referrer}) answered {response.status_code}")
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        html = response.content.decode()
        title = TITLE.search(html)
        if not title or "<" in title.group(1) or len(title.group(1)) > 120:
            failures.append(f"{url} has no plain <title> (a block left open in its template)")
        parser = _Links()
        parser.feed(html)
        for href in parser.hrefs:
            target = _same_site_path(href)
            if target is None or target in seen:
                continue
            seen.add(target)
            shape = _shape(target)
            if shapes.get(shape, 0) >= PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append((target, url))
    return failures, visited


def _demo_users() -> list[User]:
    """The county-wide demo logins, and the grid worker whose village has the most households
    with the first clerk of that township."""
    workers = User.objects.filter(role=Role.GRID_WORKER).select_related("area", "area__parent")
    worker = max(workers, key=lambda w: (Household.objects.filter(area=w.area).count(), w.pk))
    local = [worker.username, f"clerk_{worker.area.parent.code}"]
    return list(User.objects.filter(username__in=[*DEMO_USERS, *local]).order_by("username"))


def test_every_page_linked_for_each_demo_role_opens():
    """No server error on any page, and no link a role is shown leads to a refusal (403) or
    to nothing (404): leaders, auditors and department staff see no 修改 they may not use."""
    call_command("seed_demo", households=40, seed=2024, verbosity=0)
    failures = []
    users = _demo_users()
    assert len(users) == len(DEMO_USERS) + 2
    for user in users:
        username = user.username
        client = Client(raise_request_exception=False)
        client.force_login(user)
        role_failures, visited = _crawl(client, _start_pages(user))
        assert visited > 5, f"{username} reached only {visited} pages: the crawl is broken"
        failures += [f"{username}: {failure}" for failure in role_failures]
    assert not failures, "\n".join(failures)
