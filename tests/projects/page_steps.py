"""Taking a project's steps through its page, as a browser posts them."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Project


def url(project) -> str:
    return f"/projects/{project.pk}/"


def post_step(client, project, step, data=None, *, version=None):
    """Post the form of ``step`` on ``project``'s page, with the version the user saw."""
    project = Project.objects.get(pk=project.pk) if version is None else project
    payload = {"step": step, f"{step}-version": project.version if version is None else version}
    for key, value in (data or {}).items():
        payload[f"{step}-{key}"] = value
    return client.post(url(project), payload)


def page(client, project) -> str:
    response = client.get(url(project))
    assert response.status_code == 200
    return response.content.decode()


def forms_on(html: str) -> set[str]:
    """The step forms a page shows."""
    return set(re.findall(r'data-testid="step-([a-z_]+)"', html))


def photo(name="公示照片.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0 photo", content_type="image/jpeg")


def pdf(name="验收报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 report", content_type="application/pdf")


def fresh(project) -> Project:
    return Project.objects.get(pk=project.pk)


def done(response) -> bool:
    """The step was taken: the page sends the user back to a project (not to the login)."""
    return response.status_code == 302 and response["Location"].startswith("/projects/")
