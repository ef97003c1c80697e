"""The matching of a screening list as a background job (kaiyuan.jobs): every list, small or
large, goes the same way, so that the result page, the progress bar and the audit are the same."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from kaiyuan.jobs.registry import register
from monitoring.models import WarningUpload
from monitoring.services.warnings import MATCH_JOB, ListRefused, warning_upload_match
from monitoring.warnings import template


@register(MATCH_JOB)
def run_warning_match(job, progress) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        upload = WarningUpload.objects.filter(pk=job.params.get("upload")).first()
        if upload is None:
            raise ListRefused(_("The screening list no longer exists."))
        upload = warning_upload_match(upload=upload, progress=progress)
        job.result = {
            "upload": upload.pk,
            "rows": upload.rows,
            "matched": upload.matched,
            "duplicates": upload.duplicates,
            "unmatched": len(upload.unmatched),
            "errors": len(upload.errors),
        }
        job.message = summary(upload)
        if upload.errors or upload.unmatched:
            content = template.build_feedback(upload.errors, upload.unmatched)
            job.result_name = template.feedback_file_name(upload.file_name)
            job.result_file.save(f"warning-feedback-{upload.pk}.xlsx", ContentFile(content), False)
    job.progress = upload.rows


def summary(upload: WarningUpload) -> str:
    return _(
        "%(rows)s rows: %(matched)s warnings pushed to the townships, %(duplicates)s already "
        "received before, %(unmatched)s not found in the county, %(errors)s with errors."
    ) % {
        "rows": upload.rows,
        "matched": upload.matched,
        "duplicates": upload.duplicates,
        "unmatched": len(upload.unmatched),
        "errors": len(upload.errors),
    }
