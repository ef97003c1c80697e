"""A village's published asset ledger as PDF (the plan's disclosure duty): the village's assets
with the year's income, and each distribution with its households by name and amount, rendered
with the CJK fonts; no ID number on it. A household of another township is named only for a
user who may see it. Served at once, recorded as an export; other areas 404, roles without
assets.export 403."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.urls import reverse

from assets.exports import hidden_household
from assets.exports.village import VILLAGE_LEDGER_PDF
from kaiyuan.audit.models import AuditEvent
from tests.assets.ledger_fixtures import YEAR, build_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(village_a, village_b, clerk_a, clerk_b):
    return build_ledger(village_a, village_b, clerk_a, clerk_b)


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _text(content: bytes) -> str:
    """The PDF's text without whitespace, which the extraction scatters between Chinese
    characters at line ends."""
    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _pdf(client, village, **params):
    return client.get(reverse("assets:village_ledger_pdf", args=[village.pk]), params)


def test_the_published_ledger_names_the_assets_and_the_households_with_their_amounts(
    client, bureau, village_a, ledger
):
    client.force_login(bureau)
    response = _pdf(client, village_a, year=YEAR)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(_content(response))
    assert "烟厂村肉牛养殖基地" in text and "烟厂村光伏帮扶电站" in text
    assert ledger.farm.code in text
    assert "刘桂兰" in text and "5,000.00" in text
    assert "赵春生" in text and "3,000.00" in text  # the bureau sees every township's
    assert "9,000.00" in text and "8,000.00" in text
    assert "村务公开栏" in text
    assert "烟厂村股份经济合作社" in text
    assert "威远村就业帮扶车间" not in text  # township B's asset
    assert not re.search(r"\d{17}[\dX]", text)  # no ID number
    assert ledger.here.household_number not in text


def test_the_township_names_only_its_own_households(client, clerk_a, village_a, ledger):
    client.force_login(clerk_a)
    text = _text(_content(_pdf(client, village_a, year=YEAR)))
    assert "刘桂兰" in text
    assert "赵春生" not in text
    assert re.sub(r"\s+", "", hidden_household()) in text
    assert "3,000.00" in text


def test_the_pdf_is_recorded_as_an_export_of_the_village(client, auditor, village_a, ledger):
    client.force_login(auditor)
    assert _pdf(client, village_a, year=YEAR).status_code == 200
    event = AuditEvent.objects.get(action="export", object_id=str(village_a.pk))
    assert event.actor == auditor
    assert event.data["what"] == VILLAGE_LEDGER_PDF
    assert event.data["filters"] == {"village": village_a.code, "year": YEAR}
    assert event.data["rows"] == 2 and event.data["households"] == 2


def test_last_year_is_the_default_and_a_year_without_income_says_so(
    client, leader, village_a, ledger
):
    client.force_login(leader)
    assert str(YEAR) in _text(_content(_pdf(client, village_a)))
    text = _text(_content(_pdf(client, village_a, year=2024)))
    assert "烟厂村肉牛养殖基地" in text and "刘桂兰" not in text


def test_another_townships_village_is_a_404_and_a_grid_worker_a_403(
    client, clerk_b, grid_worker_a, village_a, ledger
):
    client.force_login(clerk_b)
    assert _pdf(client, village_a, year=YEAR).status_code == 404
    client.force_login(grid_worker_a)
    assert _pdf(client, village_a, year=YEAR).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()
