"""Every page carries a Content-Security-Policy that allows scripts from the site's own files only;
the templates hold no inline script or inline event handler that it would block. (The browser
test tests/browser/test_csp.py checks that the pages then run without a violation.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.monitoring.factories import make_household

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_pages_allow_only_the_sites_own_scripts_and_no_eval(client, clerk_a):
    client.force_login(clerk_a)
    for path in ("/", "/monitoring/households/", "/accounts/login/"):
        policy = _policy(client.get(path))
        assert policy["script-src"] == ["'self'"], path
        assert "'unsafe-inline'" not in policy["style-src"], path
        assert policy["style-src-attr"] == ["'unsafe-inline'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_the_household_cards_own_styles_carry_the_nonce_of_the_request(client, clerk_a, village_a):
    household = make_household(village_a)
    client.force_login(clerk_a)
    response = client.get(f"/monitoring/households/{household.pk}/card/")
    nonces = [v for v in _policy(response)["style-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    assert f'<style nonce="{nonces[0][7:-1]}">' in response.content.decode()


@pytest.mark.django_db
def test_the_api_documentation_pages_have_their_own_policy(client, clerk_a):
    client.force_login(clerk_a)
    swagger = client.get("/api/docs/")
    assert swagger.status_code == 200
    assert _policy(swagger)["script-src"] == ["'self'"]  # its start-up script is a request
    assert "<script>" not in swagger.content.decode()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    redoc = client.get("/api/redoc/")
    policy = _policy(redoc)
    nonce = next(v for v in policy["script-src"] if v.startswith("'nonce-"))[7:-1]
    assert f'<script nonce="{nonce}">' in redoc.content.decode()
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "fonts.googleapis.com" not in redoc.content.decode()


INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def test_no_template_has_an_inline_script_or_event_handler():
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(TEMPLATES)
        found += [f"{name}: inline handler" for _ in INLINE_HANDLER.finditer(text)]
        for match in SCRIPT_TAG.finditer(text):
            attributes = match.group(1)
            if "src=" not in attributes and "nonce=" not in attributes:
                found.append(f"{name}: inline <script>")
    assert found == []
