"""Audit entries in words: who, when, what kind, which item, and each field's old and new
value under its verbose name, as the log page and its .xlsx show them.

Values are stored as django-auditlog writes them (JSON: text, numbers, ids of related rows);
they are put into words here, in the reader's language. Related rows are read in one query per
related model for a whole page of entries, never one per entry.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.i18n import display_date

from .models import Action, Entry

NOT_SHOWN = {"id"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Row:
    entry: Entry
    when: datetime
    who: str
    kind: str
    what: str
    item: str
    details: str = ""
    changes: list = field(default_factory=list)


def readable(entries):
    """Rows for the given entries (with `actor` and `content_type` selected), in their order.
    Costs one query per related model that the entries' changes name."""
    entries = list(entries)
    related = _related_objects(entries)
    return [
        Row(
            entry=entry,
            when=timezone.localtime(entry.timestamp),
            who=_who(entry),
            kind=entry.get_kind_display(),
            what=_model_name(entry),
            item=entry.object_repr,
            details=_details(entry),
            changes=_changes(entry, related),
        )
        for entry in entries
    ]


def _who(entry):
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.username
    if entry.kind == Entry.Kind.SIGN_IN_FAILED:
        return _("ไม่ทราบ (ชื่อผู้ใช้ %(username)s)") % {"username": entry.object_repr}
    return _("ระบบ")


def _model_name(entry):
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model else entry.content_type.model


def _details(entry):
    data = entry.additional_data or {}
    parts = []
    if data.get("file_name"):
        parts.append(_("ไฟล์: %(name)s") % {"name": data["file_name"]})
    if data.get("locked_out"):
        parts.append(_("ถูกระงับชั่วคราวเพราะผิดหลายครั้ง"))
    if entry.kind == Entry.Kind.BIN_EMPTIED:
        parts.append(_("ลบถาวร %(rows)s แถว %(notes)s บันทึก %(files)s ไฟล์") % {
            "rows": data.get("rows", 0), "notes": data.get("notes", 0), "files": data.get("files", 0)})
    return " · ".join(parts)


def _fields(entry):
    """(model field or None, name, stored value pair) for each recorded change of the entry."""
    model = entry.content_type.model_class()
    for name, values in (entry.changes or {}).items():
        if name in NOT_SHOWN:
            continue
        try:
            model_field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and not model_field.concrete and not model_field.many_to_many:
            continue  # a reverse relation: not a value of the object
        yield model_field, name, values


def _related_objects(entries):
    """{related model: {pk: object}} for every foreign key value the entries mention."""
    wanted = defaultdict(set)
    for entry in entries:
        for model_field, _name, values in _fields(entry):
            if _is_key(model_field) and isinstance(values, list):
                wanted[model_field.related_model].update(v for v in values if isinstance(v, int))
    # select_related(): what their names are made of (an assessment's organisation) comes along.
    return {model: model._base_manager.select_related().in_bulk(pks) for model, pks in wanted.items()}


def _is_key(model_field):
    """A foreign key or one-to-one field of the object itself (its value is the related id)."""
    return model_field is not None and (model_field.many_to_one or model_field.one_to_one) and model_field.concrete


def _changes(entry, related):
    changes = []
    for model_field, name, values in _fields(entry):
        label = str(model_field.verbose_name) if model_field is not None else name
        if isinstance(values, dict) and values.get("type") == "m2m":
            names = ", ".join(values.get("objects", []))
            if values.get("operation") == "add":
                changes.append(Change(label, "–", _("เพิ่ม: %(names)s") % {"names": names}))
            else:
                changes.append(Change(label, _("นำออก: %(names)s") % {"names": names}, "–"))
            continue
        old, new = values if isinstance(values, list) and len(values) == 2 else (None, values)
        # The library compares a created (deleted) object with the field defaults: there was
        # (is) no value before (after).
        if entry.action == Action.CREATE:
            old = None
        elif entry.action == Action.DELETE:
            new = None
        change = Change(label, _value(model_field, old, related), _value(model_field, new, related))
        if change.old != change.new:  # an empty field of a created object says nothing
            changes.append(change)
    return changes


def _value(model_field, value, related):
    if value is None or value == "" or value == "None":
        return "–"
    if model_field is None:
        return str(value)
    if _is_key(model_field):
        found = related.get(model_field.related_model, {}).get(value)
        return str(found) if found is not None else _("รายการ #%(pk)s (ถูกลบแล้ว)") % {"pk": value}
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "–"
    internal = model_field.get_internal_type()
    try:
        if internal == "DateField":
            return display_date(date.fromisoformat(value))
        if internal == "DateTimeField":
            moment = timezone.localtime(datetime.fromisoformat(value).replace(tzinfo=UTC))
            return f"{display_date(moment.date(), short=True)} {moment:%H:%M}"
    except (TypeError, ValueError):
        pass
    return str(value)
