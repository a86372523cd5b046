"""Who may read and change the plan's rows, notes and steps, built on the role basics of
accounts/access.py.

Plan rows (measures): admins change every row of their organisation; staff change a row when
one of its responsible units is theirs, or when the row is for every unit; executives change
nothing. Whoever may change a row may also edit its tracking, add progress notes, reorder and
delete it; only admins assign a row's units or open it to every unit.

What a plan accepts at all is the plan's to say (`Plan.refusal`): once approved only the
tracking of its rows (status, progress, progress notes), in a past year nothing. The helpers
below ask it and raise ChangeRefused (a 403 with the reason) for a change the record does not
accept.

The plan's steps: admins start a year, submit the plan, reopen an approved plan (with a
reason) and mark it reported; executives approve it; both may send a submitted plan back.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import get_membership, require_admin
from accounts.models import Membership
from assessments.access import assessments_for_user
from assessments.models import ChangeRefused

from .models import BinnedEvidence, Measure, Plan, PlanEvent, ProgressNote


def measures_for_user(request):
    """The plan rows the user may read: every row of their own organisation."""
    membership = get_membership(request)
    return Measure.objects.filter(assessment__organisation_id=membership.organisation_id)


def can_change_measure(membership, measure):
    """Whether this member may change this row (uses the row's prefetched units)."""
    if membership.is_admin:
        return True
    if not membership.is_staff_member:
        return False
    return measure.for_all_units or any(
        unit.id in membership.unit_ids for unit in measure.units.all()
    )


def changeable_measures(request):
    """The rows the user may change, as a query ("my rows" for staff, all for an admin)."""
    membership = get_membership(request)
    rows = measures_for_user(request)
    if membership.is_admin:
        return rows
    if not membership.is_staff_member:
        return rows.none()
    of_my_units = Measure.units.through.objects.filter(unit_id__in=membership.unit_ids)
    return rows.filter(Q(for_all_units=True) | Q(pk__in=of_my_units.values("measure_id")))


def get_measure_for_user(request, pk, for_change=False, tracking=False):
    """One row of the user's organisation (404 otherwise), with what its pages show.

    With `for_change`, a user who may read but not change the row gets a 403, and so does a
    change the row's plan does not accept now (ChangeRefused, with the reason). `tracking`
    says the change is to the row's tracking only (status, progress, progress notes), which
    an approved plan still accepts.
    """
    membership = get_membership(request)
    measure = get_object_or_404(
        measures_for_user(request)
        .select_related("assessment", "fiscal_year", "indicator", "plan")
        .prefetch_related("units"),
        pk=pk,
    )
    if for_change and not can_change_measure(membership, measure):
        raise PermissionDenied(_("ไม่มีสิทธิ์แก้ไขมาตรการนี้ เฉพาะผู้ดูแลระบบหรือเจ้าหน้าที่ของสำนัก/กองที่รับผิดชอบ"))
    if for_change:
        reason = measure.plan.refusal(Plan.TRACKING if tracking else Plan.CONTENT)
        if reason:
            raise ChangeRefused(reason)
    return measure


def may_add_measures(membership):
    """Admins and staff add plan rows (staff only for their own units); executives do not."""
    return membership.is_admin or membership.is_staff_member


def require_plan_editor(request):
    membership = get_membership(request)
    if not may_add_measures(membership):
        raise PermissionDenied(_("ผู้บริหารดูแผนได้แต่ไม่แก้ไข"))
    return membership


def plans_for_user(request):
    """The plans the user may read: those of their own organisation."""
    membership = get_membership(request)
    return Plan.objects.filter(assessment__organisation_id=membership.organisation_id)


def get_plan_for_new_rows(request, year):
    """(membership, plan) for adding rows to the plan carried out in `year`: 404 when the
    organisation has no results of the year before, 403 for executives, ChangeRefused when the
    plan takes no new rows now. The plan is unsaved when the year's rows are the first."""
    membership = require_plan_editor(request)
    answered = assessments_for_user(request).filter(fiscal_year_id=year - 1).first()
    if answered is None:
        raise Http404(_("ยังไม่มีผลการประเมินปี %(year)s ที่แผนนี้ตอบสนอง") % {"year": year - 1})
    plan = Plan.objects.filter(assessment=answered).first() or Plan(assessment=answered, fiscal_year_id=year)
    if plan.refusal(Plan.CONTENT):
        raise ChangeRefused(plan.refusal(Plan.CONTENT))
    return membership, plan


# Who takes which step of a plan's cycle (the states it moves between are Plan's to say).
PLAN_STEPS = {
    PlanEvent.Kind.SUBMITTED: (Membership.Role.ADMIN,),
    PlanEvent.Kind.RETURNED: (Membership.Role.ADMIN, Membership.Role.EXECUTIVE),
    PlanEvent.Kind.APPROVED: (Membership.Role.EXECUTIVE,),
    PlanEvent.Kind.REPORTED: (Membership.Role.ADMIN,),
    PlanEvent.Kind.REOPENED: (Membership.Role.ADMIN,),
}


def may_take_step(membership, kind):
    return membership.role in PLAN_STEPS[kind]


def get_plan_for_step(request, year, kind):
    """The organisation's plan carried out in `year`, for the step `kind` (a PlanEvent kind):
    404 when the organisation has none, 403 for a role that does not take that step, and
    ChangeRefused for a plan of a past year."""
    membership = get_membership(request)
    plan = get_object_or_404(
        plans_for_user(request).select_related("assessment", "approved_by"), fiscal_year_id=year
    )
    if not may_take_step(membership, kind):
        if kind == PlanEvent.Kind.APPROVED:
            raise PermissionDenied(_("เฉพาะผู้บริหารของหน่วยงานเท่านั้นที่อนุมัติแผนได้"))
        if kind == PlanEvent.Kind.RETURNED:
            raise PermissionDenied(_("เฉพาะผู้บริหารและผู้ดูแลระบบเท่านั้น"))
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบเท่านั้น"))
    if plan.is_past:
        raise ChangeRefused(plan.refusal())
    return plan


def get_note_for_user(request, pk, for_change=False):
    """A progress note whose row the user may read, with its row; 404 for any other.

    With `for_change` (deleting the note or its file), a user who may not change its row gets
    a 403, and a note of a plan that takes no change of its tracking (a past year's) a
    ChangeRefused."""
    membership = get_membership(request)
    note = get_object_or_404(
        ProgressNote.objects.select_related("measure__plan").filter(
            measure__assessment__organisation_id=membership.organisation_id
        ),
        pk=pk,
    )
    if for_change and not can_change_measure(membership, note.measure):
        raise PermissionDenied(_("ไม่มีสิทธิ์แก้ไขมาตรการนี้ เฉพาะผู้ดูแลระบบหรือเจ้าหน้าที่ของสำนัก/กองที่รับผิดชอบ"))
    if for_change and note.measure.plan.refusal(Plan.TRACKING):
        raise ChangeRefused(note.measure.plan.refusal(Plan.TRACKING))
    return note


def _in_bin(kind, organisation_id):
    """What of the organisation is in the bin, by kind of item ("measure", "note", "file")."""
    if kind == "measure":
        return Measure.all_objects.filter(assessment__organisation_id=organisation_id, deleted_at__isnull=False)
    if kind == "note":
        return ProgressNote.all_objects.select_related("measure").filter(
            measure__assessment__organisation_id=organisation_id, deleted_at__isnull=False
        )
    if kind == "file":
        return BinnedEvidence.objects.select_related("note__measure").filter(
            note__measure__assessment__organisation_id=organisation_id
        )
    raise Http404


def get_binned_for_admin(request, kind, pk):
    """One item of the organisation's bin, to restore: 404 for anything else (another
    organisation's, or not in the bin), then 403 for anyone but the organisation's admins."""
    membership = get_membership(request)
    item = get_object_or_404(_in_bin(kind, membership.organisation_id), pk=pk)
    require_admin(request)
    return item
