"""Real Chromium (Debian's package) driven by Playwright. Outside CI a machine without Chromium
skips these tests; under CI=true it fails, so a missing browser cannot pass unnoticed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Playwright waits for each element and page up to this long (its default is 30 s). A page that
# takes 10 s on a machine busy installing packages is slow, not broken: a wait that passes
# costs nothing more, and a broken page still fails, only later.
WAIT_MS = 90_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def new_context(browser, **options):
    """A browser context (its own cookies) whose waits are WAIT_MS long."""
    context = browser.new_context(locale="zh-CN", **options)
    context.set_default_timeout(WAIT_MS)
    return context


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)  # assertions wait as long as actions (default 5 s)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A page the size of a small phone, as grid workers use."""
    context = new_context(browser, viewport={"width": 375, "height": 740})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
