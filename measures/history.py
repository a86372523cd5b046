"""A plan row's history in words, from django-simple-history's records: who changed which field
from what to what, newest first.

The audit log (django-auditlog) records the same edits for another reader and another length of
time: the organisation's log of who did what from where, pruned after AUDIT_LOG_RETENTION_YEARS.
The versions here are the row's own: whole rows with their units, kept as long as the row, read
back as they stood (this page, and the progress report of a past day in reports/reports.py)."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from lib.i18n import display_date
from assessments.models import Indicator

from .models import Measure

# `version` moves on every save and `updated_at` is not kept: neither says anything to a reader.
NOT_SHOWN = ["version", "units"]


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    who: str
    kind: str  # "+" created, "~" changed, "-" deleted (simple_history's history_type)
    version: int
    changes: list = field(default_factory=list)


def display_value(name, value, indicators=None):
    """A field's value as a person reads it: labels for choices, BE dates, indicator names."""
    if value is None or value == "":
        return "–"
    model_field = Measure._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    if isinstance(value, date):
        return display_date(value)
    if name == "indicator":
        indicator = value if isinstance(value, Indicator) else (indicators or {}).get(value)
        return str(indicator) if indicator else str(value)
    return str(value)


def change_log(measure):
    """Every recorded version of the row, newest first, each with what changed since the one before."""
    records = list(
        measure.history.select_related("history_user")
        .prefetch_related("historicalmeasure_units_set__unit")
        .order_by("history_date", "history_id")
    )
    indicators = Indicator.objects.in_bulk({r.indicator_id for r in records if r.indicator_id})
    labels = {f.name: str(f.verbose_name) for f in Measure._meta.get_fields() if hasattr(f, "verbose_name")}
    entries = []
    previous = None
    for record in records:
        entry = Entry(
            when=timezone.localtime(record.history_date),
            who=_user_name(record.history_user),
            kind=record.history_type,
            version=record.version,
        )
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=NOT_SHOWN)
            entry.changes = [
                Change(labels[c.field], display_value(c.field, c.old, indicators),
                       display_value(c.field, c.new, indicators))
                for c in delta.changes
            ]
            old_units, new_units = _unit_names(previous), _unit_names(record)
            # A creation record never holds units: they are added once the row exists.
            if previous.history_type != "+" and old_units != new_units:
                entry.changes.append(Change(labels["units"], old_units or "–", new_units or "–"))
        if previous is None or entry.changes or record.history_type != "~":
            entries.append(entry)
        previous = record
    return entries[::-1]


def origins(measure):
    """The rows this row was carried over from, year by year back: the nearest first."""
    chain, seen = [], {measure.pk}
    while measure.carried_from_id and measure.carried_from_id not in seen:
        measure = Measure.objects.select_related("plan").get(pk=measure.carried_from_id)
        seen.add(measure.pk)
        chain.append(measure)
    return chain


def _unit_names(record):
    # simple_history's own `record.units` manager cannot be prefetched; its reverse relation can.
    return ", ".join(sorted(row.unit.name for row in record.historicalmeasure_units_set.all()))


def _user_name(user):
    if user is None:
        return _("ระบบ (นำเข้าข้อมูล)")
    return user.get_full_name() or user.username
