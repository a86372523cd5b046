"""Digests for the domain apps' scheduled scans: one notification per person about the things of
their units (rows of the plan, OIT items), and the registry of scans that the `send_digests`
command runs without Celery beat.

A domain app chooses the things and writes the texts; who receives them is decided here and in
delivery.py, from the memberships read through the user model (this app imports no domain app):

    groups = {organisation: [(thing, {unit ids}, for_every_unit), ...]}
    to_unit_members(kind=kinds.X, groups=groups, compose=lambda user, things: (text, body, link))

and registers its scan, in its AppConfig.ready(), for the command:

    digests.register_scan("oit-weekly", weekly_digest)  # weekly_digest(today) -> notifications made
"""

from django.contrib.auth import get_user_model

from .delivery import notify_each
from .kinds import KINDS

SCANS = {}


def register_scan(name, scan):
    if SCANS.get(name, scan) is not scan:
        raise ValueError(f"scan {name!r} is registered twice")
    SCANS[name] = scan
    return scan


def _members(kind, organisation_ids):
    """{organisation id: [user]} of the kind's roles, each with their membership's units read."""
    found = {}
    users = (
        get_user_model().objects.filter(
            is_active=True, membership__organisation_id__in=organisation_ids, membership__role__in=kind.roles
        )
        .select_related("membership").prefetch_related("membership__units").order_by("pk")
    )
    for user in users:
        found.setdefault(user.membership.organisation_id, []).append(user)
    return found


def to_unit_members(*, kind, groups, compose):
    """Send each member of the kind's roles, in one notification, the things of their units:
    `groups` is {organisation: [(thing, unit ids, for every unit)]}; `compose(user, things)`
    returns (text, body, link), or None to send nothing. Those who may not receive the kind
    (deactivated, pending invitees) are left out by `notify_each`. Returns the number made.
    A fixed number of queries: two, and one per organisation that has things."""
    kind = KINDS[getattr(kind, "key", kind)]
    members = _members(kind, [organisation.pk for organisation in groups])
    made = 0
    for organisation, entries in groups.items():
        messages = []
        for user in members.get(organisation.pk, []):
            unit_ids = {unit.pk for unit in user.membership.units.all()}
            things = [thing for thing, units, everyone in entries if everyone or units & unit_ids]
            message = compose(user, things) if things else None
            if message:
                messages.append((user, *message))
        if messages:
            made += len(notify_each(kind=kind, organisation=organisation, messages=messages))
    return made
