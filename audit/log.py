"""Writing entries that django-auditlog does not write by itself.

`record` is for the portal's own events: sign-ins, exports, PDFs, evidence downloads and the
bin. `record_changes` is for writes that bypass model signals (the plan import's bulk writes),
so that they are in the log as every other change is.
"""

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from lib.http import request_address

from .models import ACTION_OF_KIND, Action, Entry

BATCH = 2000


def record(kind, obj, *, actor=None, request=None, changes=None, data=None):
    """One entry of `kind` (Entry.Kind) about `obj`, by the request's user unless `actor` is
    given; its organisation is the object's (see registry.py)."""
    extra = {"actor": actor} if actor is not None else {}
    if request is not None:
        extra["remote_addr"] = request_address(request)
    return Entry.objects.log_create(
        obj, force_log=True, action=ACTION_OF_KIND.get(kind, Action.ACCESS), kind=kind,
        changes=changes, additional_data=data, **extra,
    )


def record_changes(pairs, *, actor, organisation_id, fields=None):
    """Entries for objects written in bulk: `pairs` of (object before, object after), before
    being None for a created object; `fields` limits the comparison as update_fields would."""
    context = _request_context()
    now = timezone.now()
    batch = []
    for before, after in pairs:
        changes = model_instance_diff(before, after, fields_to_check=fields, use_json_for_changes=True)
        if not changes:
            continue
        action = Action.CREATE if before is None else Action.UPDATE
        batch.append(Entry(
            content_type=ContentType.objects.get_for_model(after), object_pk=str(after.pk), object_id=after.pk,
            object_repr=str(after), action=action, kind=Entry.Kind.CREATE if before is None else Entry.Kind.UPDATE,
            changes=changes, actor=actor, remote_addr=context.get("remote_addr"), cid=get_cid(),
            organisation_id=organisation_id, timestamp=now,
        ))
        if len(batch) == BATCH:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)


def _request_context():
    """What AuditMiddleware knows of the current request (empty outside one)."""
    try:
        return auditlog_value.get()
    except LookupError:
        return {}
