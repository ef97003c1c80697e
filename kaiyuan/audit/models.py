"""The audit trail: one append-only table for every change, transition, export and reveal."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaiyuan.common.scoping import VIEW, AreaScopedQuerySet


class AuditEventQuerySet(AreaScopedQuerySet):
    def visible_to(self, user, *, action: str = VIEW):
        """Area-scoped like every other table, and never writable. Events with no area (logins,
        settings) belong to the county, so county-wide users see them too."""
        if action != VIEW:
            return self.none()
        scoped = super().visible_to(user)
        if user.is_authenticated and user.is_county_wide and not user.is_superuser:
            return scoped | self.filter(area__isnull=True)
        return scoped


class AuditEvent(models.Model):
    """Who did what to which record, when, from which state to which, and why.

    Written only through ``kaiyuan.audit.record``; never updated or deleted (the admin is
    read-only and the database user of the application has no reason to touch old rows).
    """

    class Action(models.TextChoices):
        """Every action the code records, with the words the pages show for it. The workflow
        steps (``Step.action`` of every ``Workflow``) are among them; a test finds each action
        the code records and fails on one without a label here."""

        # records
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        REMOVE = "remove", _("Removed from the household")
        HEAD_CHANGED = "head_changed", _("Head of household changed")
        SPLIT = "split", _("Household split")
        MERGED = "merged", _("Merged into another household")
        MERGED_IN = "merged_in", _("Another household merged in")
        REVEAL_ID = "reveal_id", _("Full ID number shown")
        NOTICE_READ = "notice_read", _("Notice read")
        ID_CHECK = "id_check", _("ID number checked")
        ID_SEARCH = "id_search", _("Searched by ID number")
        UPLOAD = "upload", _("Screening list uploaded")
        IMPORT = "import", _("Imported")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded")
        # workflow steps: cases, risk leads, measures, warnings, screening lists
        OPEN = "open", _("Opened")
        SUBMIT_APPLICATION = "submit_application", _("Application and authorisation submitted")
        INDICATORS = "indicators", _("Post-elimination indicators recorded")
        VERIFY = "verify", _("Verified")
        CROSSCHECK = "crosscheck", _("Data cross-check recorded")
        APPRAISE = "appraise", _("Democratic appraisal: eligible")
        APPRAISE_NOT_ELIGIBLE = "appraise_not_eligible", _("Democratic appraisal: not eligible")
        OBJECTION = "objection", _("Objection recorded")
        CLOSE_PUBLICITY = "close_publicity", _("Publicity ended without an upheld objection")
        OBJECTION_UPHELD = "objection_upheld", _("Objection upheld")
        TOWNSHIP_PASS = "township_pass", _("Township review passed")
        TOWNSHIP_RETURN = "township_return", _("Returned by the township")
        COUNTY_APPROVE = "county_approve", _("Approved by the county")
        COUNTY_REJECT = "county_reject", _("Not approved by the county")
        MARK_OVERDUE = "mark_overdue", _("Marked overdue")
        CLOSE_NO_RISK = "close_no_risk", _("Closed: no risk")
        OPEN_CASE = "open_case", _("Identification case opened")
        IMPLEMENT = "implement", _("Marked implemented")
        PLAN_AGAIN = "plan_again", _("Set back to planned")
        START_MATCHING = "start_matching", _("Matching started")
        MATCH = "match", _("Matched")
        MATCHING_FAILED = "matching_failed", _("Matching failed")
        # workflow steps: projects
        OBJECTION_HANDLED = "objection_handled", _("Objection handled, not upheld")
        COUNTY_PUBLICITY_CLOSE = "county_publicity_close", _("County publicity ended")
        SUBMIT_VILLAGE = "submit_village", _("Proposed by the village")
        SUBMIT_TOWNSHIP = "submit_township", _("Proposed by the township")
        SUBMIT_COUNTY = "submit_county", _("Proposed by the department")
        RECALL_VILLAGE = "recall_village", _("Recalled for changes")
        RECALL_TOWNSHIP = "recall_township", _("Recalled for changes")
        RECALL_COUNTY = "recall_county", _("Recalled for changes")
        VILLAGE_PUBLICITY = "village_publicity", _("Village publicity started")
        TOWNSHIP_PUBLICITY = "township_publicity", _("Township publicity recorded")
        COUNTY_PUBLICITY = "county_publicity", _("County publicity recorded")
        PUBLICITY_OBJECTION = "publicity_objection", _("Objection to a publicity recorded")
        VILLAGE_PUBLICITY_CLOSE = "village_publicity_close", _("Village publicity ended")
        TOWNSHIP_PUBLICITY_CLOSE = "township_publicity_close", _("Township publicity ended")
        TOWNSHIP_REJECT = "township_reject", _("Not approved by the township")
        DEPARTMENT_PASS = "department_pass", _("Sector department review passed")
        DEPARTMENT_REJECT = "department_reject", _("Not approved by the sector department")
        JOINT_REVIEW = "joint_review", _("County joint review recorded")
        COUNTY_DECIDE = "county_decide", _("Decided by the county")
        COUNTY_ANNOUNCE = "county_announce", _("Announced by the county")
        ADMIT = "admit", _("Taken into the library")
        PLAN = "plan", _("Put in the year's funded plan")
        WITHDRAW = "withdraw", _("Withdrawn from the library")
        ADJUST = "adjust", _("Adjusted, back to county review")
        ROLL_OVER = "roll_over", _("Rolled over to the next year's library")
        START = "start", _("Implementation started")
        PROGRESS_REPORT = "progress_report", _("Progress reported")
        COMPLETE = "complete", _("Completed")
        ACCEPT = "accept", _("Accepted")
        ACCEPT_FAILED = "accept_failed", _("Acceptance failed: back to rectification")
        HAND_OVER = "hand_over", _("Assets handed over")
        OPERATE = "operate", _("Operation started")
        # linkage funds
        FUNDS_ASSIGN = "funds_assign", _("Allocation assigned to the project")
        FUNDS_ASSIGN_REVERSE = "funds_assign_reverse", _("Assignment reversed")
        FUNDS_ARRIVAL = "funds_arrival", _("Arrival of the funds recorded")
        FUNDS_REALLOCATED_OUT = "funds_reallocated_out", _("Funds reallocated away")
        FUNDS_REALLOCATED_IN = "funds_reallocated_in", _("Funds reallocated in")
        REVERSE = "reverse", _("Reversed by a reversing entry")
        REPORT = "report", _("报账 reported")
        RETURN = "return", _("报账 returned by finance")
        RETENTION_DEDUCT = "retention_deduct", _("Retention deducted for defects")
        REVEAL = "reveal", _("Full ID number shown")
        RETURN_RECEIVED = "return_received", _("Return received")
        PRINCIPAL_RECOVERED = "principal_recovered", _("Principal recovered")
        PROPOSE = "propose", _("Redeployment proposed")
        CONSENT = "consent", _("Redeployment consented")
        REFUSE = "refuse", _("Redeployment refused")
        SIX_CLEARS = "six_clears", _("六清楚 checklist recorded")
        REPAYMENT = "repayment", _("Loan repayment recorded")
        INTEREST_SUBSIDY = "interest_subsidy", _("Interest subsidy (贴息) recorded")
        # asset ledger
        SETTLE = "settle", _("Income settled (清算)")
        CONFIRM = "confirm", _("Ownership confirmed (确权)")
        SANZI_ENTRY = "sanzi_entry", _("Entered on the 三资 platform")
        STATUS = "status", _("Status changed")
        REVIEW = "review", _("四个一批 review recorded")
        LINE_ADD = "line_add", _("Distribution line added")
        LINE_REMOVE = "line_remove", _("Distribution line removed")
        PUBLICISE = "publicise", _("Distribution publicised")
        REVISE = "revise", _("Distribution reopened after objections")
        PAY = "pay", _("Distribution paid")
        PROPOSE_DISPOSAL = "propose_disposal", _("Disposal proposed")
        OWNER_DECIDE = "owner_decide", _("Owner decided to dispose")
        OWNER_KEEP = "owner_keep", _("Owner decided to keep")
        APPROVE_DISPOSAL = "approve_disposal", _("Disposal approved")
        REFUSE_DISPOSAL = "refuse_disposal", _("Disposal not approved")
        DISPOSE = "dispose", _("Asset disposed")
        # employment
        EMPLOYMENT_RECORD = "employment_record", _("Job recorded")
        EMPLOYMENT_CHANGE = "employment_change", _("Job record changed")
        EMPLOYMENT_CONFIRM = "employment_confirm", _("Still at the same job")
        EMPLOYMENT_REVIEW = "employment_review", _("Job of a person without labour reviewed")
        EMPLOYMENT_DELETE = "employment_delete", _("Job record deleted")
        POST_PAY = "post_pay", _("Public-welfare post paid")
        TRAINEE_ADD = "trainee_add", _("Trainee added")
        TRAINEE_REMOVE = "trainee_remove", _("Trainee removed")
        # accounts and administration
        LOGIN = "login", _("Logged in")
        LOGOUT = "logout", _("Logged out")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOCKOUT = "lockout", _("Locked out after failed logins")
        UNLOCK = "unlock", _("Unlocked")
        API_TOKEN_ISSUED = "api_token_issued", _("API token issued")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
        ADMIN_ADD = "admin_add", _("Added in the administration")
        ADMIN_CHANGE = "admin_change", _("Changed in the administration")
        ADMIN_DELETE = "admin_delete", _("Deleted in the administration")
        AREA_IMPORT = "area_import", _("Administrative divisions imported")
        PURGE = "purge", _("Old files deleted")
        PII_KEY_ROTATE = "pii_key_rotate", _("Encryption key changed")

    class Source(models.TextChoices):
        WEB = "web", _("Web page")
        API = "api", _("API")
        ADMIN = "admin", _("Administration")
        TASK = "task", _("Background job")
        COMMAND = "command", _("Command line")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept beside the foreign key so the trail still names a user who was later removed.
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    # The choices give the labels; an action recorded without one is still kept (and shown by
    # ``action_label``), so the field is not validated against them.
    action = models.CharField(_("action"), max_length=64, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField(_("from state"), max_length=64, blank=True)
    to_state = models.CharField(_("to state"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.WEB
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """The action in words; one the code records without a label still reads as "other"."""
        if self.action in self.Action.values:
            return str(self.Action(self.action).label)
        return _("Other action (%(code)s)") % {"code": self.action}

    @property
    def object_type_label(self) -> str:
        """The record's type by its model's name (农户), not Django's "app | model"."""
        if not self.content_type_id:
            return ""
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model else self.content_type.model

    @property
    def from_state_label(self) -> str:
        return state_label(self, self.from_state)

    @property
    def to_state_label(self) -> str:
        return state_label(self, self.to_state)


# The fields that hold a workflow's state, in the order they are looked for on the event's model.
STATE_FIELDS = ("status", "result")


def state_label(event: AuditEvent, value: str) -> str:
    """A state kept in the trail (``pending``) in the words of its model's choices (待核实).

    The trail stores the state's value, so the label follows the model as it is now; a value
    the model no longer knows is shown as stored."""
    if not value or not event.content_type_id:
        return value
    model = event.content_type.model_class()
    if model is None:
        return value
    fields = [f for f in model._meta.concrete_fields if f.choices]
    fields.sort(key=lambda f: STATE_FIELDS.index(f.name) if f.name in STATE_FIELDS else 99)
    for field in fields:
        labels = dict(field.flatchoices)
        if value in labels:
            return str(labels[value])
    return value
