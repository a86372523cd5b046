"""What the audit log records: every model that holds an organisation's data, and the platform's
own (area offices, reference data), each with the way from one of its objects to the id of the
organisation it belongs to.

This list is the one place to add a model. A model added later is one line, e.g.
    track("measures.Plan", organisation="assessment.organisation_id"),
    track("accounts.Invitation", organisation="organisation_id"),
and from then on every creation, change and deletion of it is in its organisation's log.
"""

from dataclasses import dataclass, field

from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist


@dataclass(frozen=True)
class Tracked:
    model: str  # "app_label.ModelName"
    organisation: str | None  # attribute path to the organisation's id; None: platform data
    options: dict = field(default_factory=dict)  # for django-auditlog's register()


def track(model, organisation, **options):
    return Tracked(model, organisation, options)


# Fields left out say nothing to a reader: timestamps the row keeps itself, and `version`, which
# moves on every save of a plan row.
TRACKED = [
    # The organisation, its units, its people and their roles.
    track("assessments.Organisation", organisation="pk"),
    track("assessments.Unit", organisation="organisation_id"),
    track("accounts.Membership", organisation="organisation_id", m2m_fields={"units"}),
    track("auth.User", organisation="membership.organisation_id",
          include_fields=["username", "first_name", "last_name", "email", "password", "is_active",
                          "is_staff", "is_superuser"],
          mask_fields=["password"], mask_callable="audit.registry.hidden"),
    # Results: scores, published figures and publishing (is_public), findings, check reviews.
    track("assessments.Assessment", organisation="organisation_id", exclude_fields=["created_at", "updated_at"]),
    track("assessments.IndicatorScore", organisation="assessment.organisation_id"),
    track("assessments.Finding", organisation="assessment.organisation_id"),
    track("assessments.CheckReview", organisation="assessment.organisation_id", exclude_fields=["reviewed_at"]),
    # The plan, its progress notes and their evidence.
    track("measures.Measure", organisation="assessment.organisation_id", m2m_fields={"units"},
          exclude_fields=["version", "updated_at"]),
    # The plan's state and approval, and its record of steps (who submitted, approved, reopened).
    track("measures.Plan", organisation="assessment.organisation_id"),
    track("measures.PlanEvent", organisation="plan.assessment.organisation_id"),
    track("measures.ProgressNote", organisation="measure.assessment.organisation_id", exclude_fields=["created_at"]),
    # OIT readiness: the workspace (publishing, reviewers), each item (units, due date, status,
    # review) and its links and files. The link check's findings are no one's change.
    track("oit.Workspace", organisation="organisation_id", m2m_fields={"reviewers"}, exclude_fields=["created_at"]),
    track("oit.Item", organisation="workspace.organisation_id", m2m_fields={"units"}, exclude_fields=["updated_at"]),
    track("oit.Link", organisation="item.workspace.organisation_id",
          exclude_fields=["created_at", "checked_at", "check_status", "check_error"]),
    track("oit.EvidenceFile", organisation="item.workspace.organisation_id", exclude_fields=["uploaded_at"]),
    # Long work: who asked for which job and how it ended (not its progress steps). An area
    # office's job belongs to no organisation, like its export.
    track("jobs.Job", organisation="organisation_id",
          include_fields=["kind", "user", "assessment", "province", "district", "params", "state",
                          "cancel_requested", "outcome", "result_name"]),
    # Where an organisation's notifications are pushed (LINE): who set it and when, never the token.
    track("notifications.LineChannel", organisation="organisation_id", exclude_fields=["updated_at"],
          mask_fields=["access_token"], mask_callable="audit.registry.hidden"),
    # No organisation's: area offices and the reference data, read by platform staff in the admin.
    track("oversight.OversightMembership", organisation=None),
    track("assessments.FiscalYear", organisation=None),
    track("assessments.Level", organisation=None),
    track("assessments.Indicator", organisation=None),
    track("assessments.SubIndicator", organisation=None),
    track("assessments.QuestionCode", organisation=None),
    track("assessments.Recommendation", organisation=None),
    track("oit.Criteria", organisation=None),
]

_organisation_paths = {}


def register_all():
    """Hand every tracked model to django-auditlog (called once, from AuditConfig.ready)."""
    for tracked in TRACKED:
        model = apps.get_model(tracked.model)
        options = dict(tracked.options)
        # The library would compare reverse relations (an organisation's `units` manager) on
        # creation and deletion and record their text; they are not the object's own values.
        reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
        options["exclude_fields"] = [*options.get("exclude_fields", []), *reverse]
        auditlog.register(model, **options)
        _organisation_paths[model] = tracked.organisation


def organisation_models():
    """The tracked models that belong to an organisation, for the log's filter."""
    return [model for model, path in _organisation_paths.items() if path]


def organisation_of(instance):
    """The id of the organisation the object belongs to, or None (platform data, or a chain
    broken by a deletion in progress)."""
    path = _organisation_paths.get(instance.__class__)  # __class__: a lazy request.user too
    if not path:
        return None
    value = instance
    try:
        for name in path.split("."):
            value = getattr(value, name)
            if value is None:
                return None
    except ObjectDoesNotExist:
        return None
    return value


def hidden(value):
    """A password hash is never written to the log, only that it changed."""
    return "********"
