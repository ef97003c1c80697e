"""/api/v1/jobs/: the user's own background jobs (exports, imports, matching), read-only, so a
script that started an export can follow it and fetch the file."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from kaiyuan.common.api import ScopedReadOnlyViewSet
from kaiyuan.jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "total",
            "percent",
            "message",
            "result",
            "result_name",
            "download",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_download(self, job: Job) -> str | None:
        """The file's address once the job is done and left one (each download is audited)."""
        if job.status != Job.Status.DONE or not job.result_file:
            return None
        url = reverse("jobs:job_download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema(tags=["jobs"])
class JobViewSet(ScopedReadOnlyViewSet):
    """The jobs the user started, newest first (another user's job answers 404, as on the job
    page)."""

    queryset = Job.objects.order_by("-created_at", "-id")
    serializer_class = JobSerializer
    filterset_fields = ["status", "kind"]
