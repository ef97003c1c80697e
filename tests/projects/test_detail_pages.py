"""A project's page: what it shows, to whom (officer, reader, outsider, department), its
documents, and a query count that does not grow with what is recorded on the project."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from kaiyuan.accounts.roles import Role
from kaiyuan.common.dates import today
from monitoring.codes import HouseholdType
from projects.codes import PublicityMedium
from projects.models import ProjectAttachment
from projects.services import beneficiaries, implementation, publicity
from projects.services.projects import attachment_add
from tests.factories import UserFactory
from tests.monitoring.factories import make_household
from tests.projects.factories import VALID_USCC, new_project, people_for, walk
from tests.projects.page_steps import done, forms_on, page, pdf, photo, post_step, url

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def people(village_a):
    return people_for(village_a)


@pytest.fixture
def project(village_a, people):
    return new_project(
        [village_a],
        people,
        entity_uscc=VALID_USCC,
        name="烟厂村有机稻米育秧基地",
    )


def test_the_page_shows_the_project_to_an_officer_of_its_township(client, clerk_a, project):
    client.force_login(clerk_a)
    html = page(client, project)
    assert project.code in html and "烟厂村有机稻米育秧基地" in html
    assert 'data-testid="project-status"' in html and "谋划中" in html  # the status, in words
    assert VALID_USCC in html
    assert "1000000.00" in html  # the total investment
    assert "900000.00" in html  # of which linkage funds (central + provincial + county)
    assert "烟厂村负责土地协调" in html  # the village's duties
    assert "带动脱贫户增收" in html  # a performance target
    assert "有经营主体" in html  # the 四有 checklist of an industry project


def test_an_outsider_gets_404_for_the_page_and_its_documents(client, clerk_b, clerk_a, project):
    document = attachment_add(
        project=project, kind="minutes", upload=pdf("会议记录.pdf"), actor=clerk_a
    )
    client.force_login(clerk_b)
    assert client.get(url(project)).status_code == 404
    assert client.post(url(project), {"step": "submit", "submit-version": 1}).status_code == 404
    assert client.get(f"/projects/documents/{document.pk}/").status_code == 404


def test_a_reader_sees_the_page_and_may_change_nothing(client, leader, auditor, project, people):
    for reader in (leader, auditor):
        client.force_login(reader)
        html = page(client, project)
        assert forms_on(html) == set()
        assert 'data-testid="project-edit"' not in html
        assert 'data-testid="beneficiary-add"' not in html
        assert post_step(client, project, "submit").status_code == 403
        response = client.post(
            url(project),
            {
                "step": "document",
                "document-version": 1,
                "document-kind": "other",
                "document-file": pdf(),
            },
        )
        assert response.status_code == 403
    assert not ProjectAttachment.objects.exists()


def test_department_staff_see_the_projects_of_their_sector_only(
    client, project, people, dept_medical
):
    client.force_login(dept_medical)
    assert client.get(url(project)).status_code == 404
    client.force_login(people.department)  # agriculture, the project's sector
    assert client.get(url(project)).status_code == 200


def test_a_user_of_another_village_of_a_cross_village_project_sees_and_does_not_change_it(
    client, village_a, village_a2, clerk_a
):
    people = people_for(village_a, proposer_level="township")
    project = new_project([village_a, village_a2], people, proposer_level="township")
    worker = UserFactory(username="grid_a2", role=Role.GRID_WORKER, area=village_a2)
    client.force_login(worker)
    html = page(client, project)
    assert forms_on(html) == set()  # a village user changes no township project
    client.force_login(clerk_a)
    assert forms_on(page(client, project)) == {"submit", "document"}


def test_a_document_is_uploaded_on_the_page_and_downloaded_by_who_sees_the_project(
    client, clerk_a, clerk_b, project, people
):
    client.force_login(clerk_a)
    response = client.post(
        url(project),
        {
            "step": "document",
            "document-version": project.version,
            "document-kind": "minutes",
            "document-file": pdf("村民代表会议记录.pdf"),
        },
    )
    assert done(response)
    document = ProjectAttachment.objects.get()
    assert (document.kind, document.name, document.uploaded_by) == (
        "minutes",
        "村民代表会议记录.pdf",
        clerk_a,
    )
    html = page(client, project)
    assert f"/projects/documents/{document.pk}/" in html
    # The upload in the history, in its own words (not the screening lists' label).
    assert gettext("Document uploaded") in html
    assert gettext("Screening list uploaded") not in html
    download = client.get(f"/projects/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 report"
    client.force_login(people.department)  # the sector's department reviews it, with its papers
    assert client.get(f"/projects/documents/{document.pk}/").status_code == 200


def test_a_document_that_is_not_a_pdf_or_a_photo_is_refused(client, clerk_a, project):
    client.force_login(clerk_a)
    upload = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        url(project),
        {
            "step": "document",
            "document-version": project.version,
            "document-kind": "other",
            "document-file": upload,
        },
    )
    assert response.status_code == 200
    assert gettext("Upload a PDF or a photo (JPG or PNG).") in response.content.decode()
    assert not ProjectAttachment.objects.exists()


def test_the_page_counts_the_beneficiaries_that_are_exited_or_monitored_households(
    client, clerk_a, village_a, project
):
    exited = make_household(village_a, household_type=HouseholdType.EXITED, head_name="张福")
    monitored = make_household(
        village_a,
        household_type=HouseholdType.ORDINARY,
        head_name="李贵",
        monitoring_status="monitored",
    )
    ordinary = make_household(village_a, household_type=HouseholdType.ORDINARY, head_name="王顺")
    for household, role in (
        (exited, "受益"),
        (exited, "务工"),
        (monitored, "分红"),
        (ordinary, "务工"),
    ):
        beneficiaries.beneficiary_add(
            project=project, household=household, role=role, actor=clerk_a
        )
    client.force_login(clerk_a)
    html = page(client, project)
    assert html.count('data-testid="beneficiary-row"') == 4
    sentence = gettext(
        "%(households)s households, of which %(exited)s 脱贫户 and %(monitored)s monitored "
        "households"
    ) % {"households": 3, "exited": 1, "monitored": 1}
    assert sentence in html


def test_the_page_shows_the_latest_progress_as_a_bar(client, clock, project, people):
    project = walk(project, "implementing", people, clock)
    for percent, day in (("40", 0), ("65.5", 1)):
        implementation.progress_report(
            project=project,
            reported_on=today() - datetime.timedelta(days=1 - day),
            percent=Decimal(percent),
            text=f"完成{percent}%",
            actor=people.township,
        )
    client.force_login(people.township)
    html = page(client, project)
    assert 'style="width: 66%"' in html and "65.5%" in html
    assert html.count('data-testid="progress-row"') == 2


# ---- the query count -------------------------------------------------------------------------


def _fill(project, people, village, size: int, clock) -> None:
    """``size`` beneficiaries, publicities with objections and photos, and documents."""
    for number in range(size):
        household = make_household(village, head_name=f"受益{number}")
        beneficiaries.beneficiary_add(
            project=project,
            household=household,
            role="受益",
            amount=Decimal("500"),
            actor=people.township,
        )
        attachment_add(
            project=project, kind="other", upload=pdf(f"材料{number}.pdf"), actor=people.township
        )


def _queries(client, project) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(project)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("state", ["village_publicity", "implementing"])
def test_the_page_costs_the_same_queries_whatever_is_recorded(
    client, clock, village_a, people, state
):
    counts = []
    for size in (1, 4):
        project = new_project([village_a], people, name=f"项目{size}")
        if state == "village_publicity":
            project = walk(project, "proposed", people, clock)
            for board in range(size):
                record = publicity.publicity_record(
                    project=project,
                    level="village",
                    medium=PublicityMedium.BOARD,
                    place=f"第{board}组",
                    start_date=today(),
                    end_date=today() + datetime.timedelta(days=9),
                    photos=[photo(f"{board}.jpg"), photo(f"{board}b.jpg")],
                    expected_version=project.version,
                    actor=people.proposer,
                )
                project.refresh_from_db()
                for text in range(size):
                    publicity.objection_record(
                        publicity=record,
                        received_on=today(),
                        text=f"意见{text}",
                        actor=people.proposer,
                    )
                project.refresh_from_db()
        else:
            project = walk(project, "implementing", people, clock)
            for report in range(size):
                implementation.progress_report(
                    project=project,
                    reported_on=today(),
                    percent=Decimal(10 * (report + 1)),
                    text="进展",
                    photos=[photo()],
                    actor=people.township,
                )
        _fill(project, people, village_a, size, clock)
        client.force_login(people.township)
        _queries(client, project)  # the first request warms the caches (content types …)
        counts.append(_queries(client, project))
    assert counts[0] == counts[1]


# ---- no link a role is shown leads to a refusal ------------------------------------------------


def _links_from(client, start: list[str]) -> tuple[list[str], int]:
    """Follow every link to a project-library page (and the inbox) from ``start``: none may
    answer 403, 404 or a server error."""
    from collections import deque

    from tests.kaiyuan.test_crawl import _Links, _same_site_path

    queue, seen, failures, visited = deque((u, "") for u in start), set(start), [], 0
    while queue and visited < 200:
        address, referrer = queue.popleft()
        response = client.get(address)
        visited += 1
        if response.status_code >= 500 or (referrer and response.status_code in (403, 404)):
            failures.append(f"{address} (linked from {referrer}) answered {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        links = _Links()
        links.feed(response.content.decode())
        for href in links.hrefs:
            target = _same_site_path(href)
            if target and target not in seen and target.startswith(("/projects/", "/inbox/")):
                seen.add(target)
                queue.append((target, address))
    return failures, visited


@pytest.mark.parametrize(
    "role",
    ["leader", "auditor", "dept_medical", "grid_worker_a", "clerk_a", "clerk_b", "bureau", "agri"],
)
def test_no_link_on_the_project_pages_answers_403_or_404(
    request, role, clock, village_a, village_a2, people, county
):
    draft = new_project([village_a], people, name="草稿项目")
    cross = new_project(
        [village_a, village_a2],
        people_for(village_a, proposer_level="township"),
        proposer_level="township",
        name="跨村项目",
    )
    announced = walk(
        new_project([village_a], people, name="公告项目"), "county_announced", people, clock
    )
    attachment_add(project=announced, kind="minutes", upload=pdf(), actor=people.township)
    beneficiaries.beneficiary_add(
        project=announced, household=make_household(village_a), role="受益", actor=people.township
    )
    running = walk(new_project([village_a], people, name="在建项目"), "implementing", people, clock)
    implementation.progress_report(
        project=running,
        reported_on=today(),
        percent=Decimal("50"),
        text="过半",
        photos=[photo()],
        actor=people.township,
    )
    user = people.department if role == "agri" else request.getfixturevalue(role)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    start = [url(p) for p in (draft, cross, announced, running)]
    failures, visited = _links_from(client, [*start, "/projects/announcements/", "/inbox/"])
    assert visited > len(start)
    assert failures == []
