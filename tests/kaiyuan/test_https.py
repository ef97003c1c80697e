"""Behind the shipped nginx, browsers get HTTPS only: nginx terminates TLS and tells Django the
request was https, and Django answers with Strict-Transport-Security."""

from __future__ import annotations

import re

from tests.kaiyuan.test_production_secrets import PLACEHOLDERS, _env_example, _good_env
from tests.kaiyuan.test_settings import ROOT, _django

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
COMPOSE = ROOT / "docker-compose.yml"

REQUESTS = """
from django.conf import settings
from django.test import Client
print("ssl-redirect", settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER)
print("hsts", settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)
client = Client(HTTP_HOST="kaiyuan.example.gov.cn")
# The API root answers a stranger without the database or a template (401 JSON).
proxied = client.get("/api/v1/", HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT="application/json")
print("proxied", proxied.status_code, proxied.headers.get("Strict-Transport-Security"))
plain = client.get("/api/v1/")
print("plain", plain.status_code, plain.headers.get("Location"),
      plain.headers.get("Strict-Transport-Security"))
"""


def test_production_django_sends_hsts_behind_the_proxy_and_redirects_plain_http(tmp_path):
    # The .env.example as shipped (without its placeholder secrets) must not turn HTTPS off.
    shipped = {k: v for k, v in _env_example().items() if k not in PLACEHOLDERS}
    env = {**shipped, **_good_env(tmp_path)}
    result = _django(env, "shell", "-c", REQUESTS)
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line}
    assert lines["ssl-redirect"][0] == "True"
    assert lines["hsts"] == ["31536000", "True"]
    status, hsts = lines["proxied"][0], " ".join(lines["proxied"][1:])
    assert status == "401"
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert lines["plain"][:2] == ["301", "https://kaiyuan.example.gov.cn/api/v1/"]
    assert lines["plain"][2] == "None", "HSTS is only meaningful over https"


def _server_blocks(conf: str) -> list[str]:
    """The text of each top-level ``server { ... }`` block, comments removed."""
    text = re.sub(r"#[^\n]*", "", conf)
    blocks = []
    for match in re.finditer(r"\bserver\s*\{", text):
        depth, start = 0, match.end() - 1
        for index in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                blocks.append(text[start + 1 : index])
                break
    return blocks


def test_nginx_terminates_tls_and_forwards_https():
    blocks = _server_blocks(NGINX_CONF.read_text(encoding="utf-8"))
    tls = [b for b in blocks if re.search(r"listen\s+(\[::\]:)?443\s+ssl", b)]
    plain = [b for b in blocks if re.search(r"listen\s+(\[::\]:)?80\b", b)]
    assert len(tls) == 1, "one server listens on 443 with TLS"
    assert len(plain) == 1, "one server listens on 80"
    server = tls[0]
    assert re.search(r"ssl_certificate\s+/etc/nginx/tls/\S+;", server)
    assert re.search(r"ssl_certificate_key\s+/etc/nginx/tls/\S+;", server)
    forwarded = re.findall(r"proxy_set_header\s+X-Forwarded-Proto\s+(\S+);", server)
    assert forwarded, "the proxied requests say which scheme the browser used"
    assert set(forwarded) == {"https"}, "not hard-wired to http, nor $scheme of a plain hop"
    assert re.search(r"proxy_set_header\s+Host\s+\$host;", server)
    assert "proxy_pass" not in plain[0], "port 80 serves nothing but the redirect"
    assert re.search(r"return\s+301\s+https://\$host\$request_uri;", plain[0])


def test_compose_publishes_443_and_mounts_the_certificates():
    compose = COMPOSE.read_text(encoding="utf-8")
    assert '"443:443"' in compose
    assert re.search(r":/etc/nginx/tls:ro", compose)
