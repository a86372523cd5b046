"""Who may read what. Views call these helpers and never check rights on their own.

Rules: a user sees only their own organisation. Executives and admins read everything of it;
staff read it too. Another organisation's object is a 404 (its existence is not confirmed);
an action the user's role may not take is a 403 (PermissionDenied).

Plan rows (measures): admins change every row of their organisation; staff change a row when
one of its responsible units is theirs, or when the row is for every unit; executives change
nothing. Whoever may change a row may also edit its tracking, add progress notes, reorder and
delete it; only admins assign a row's units or open it to every unit.

People and units: an organisation's admins manage its members and its units; nobody else.

Onboarding: platform staff (Django staff who belong to no organisation) add organisations of any
province; an area office adds organisations of its own province, or of its district when it has
one. Platform staff alone use Django's admin site (ita_portal/admin.py).

What a plan accepts at all is the plan's to say (`Plan.refusal`): once approved only the
tracking of its rows (status, progress, progress notes), in a past year nothing. The results
of a past year (scores, findings, check reviews) change no more (`Assessment.change_refusal`).
The helpers below ask both and raise ChangeRefused (a 403 with the reason) for a change the
record does not accept.

The plan's steps: admins start a year, submit the plan, reopen an approved plan (with a
reason) and mark it reported; executives approve it; both may send a submitted plan back.
"""

from dataclasses import dataclass

from axes.models import AccessFailureLog, AccessLog
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import places
from assessments.models import Assessment, ChangeRefused, Organisation, Unit
from audit.models import Entry
from jobs.models import Job
from measures.models import BinnedEvidence, Measure, Plan, PlanEvent, ProgressNote

from .models import Membership


def get_membership(request):
    """The signed-in user's membership; users without one may not use the portal (403)."""
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise PermissionDenied(_("ผู้ใช้นี้ยังไม่ได้สังกัดหน่วยงาน"))
    return membership


def require_admin(request):
    membership = get_membership(request)
    if not membership.is_admin:
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบเท่านั้น"))
    return membership


def assessments_for_user(request):
    """The assessments the user may read: those of their own organisation."""
    membership = get_membership(request)
    return Assessment.objects.filter(organisation_id=membership.organisation_id)


def get_assessment_for_user(request, pk):
    """One readable assessment with its scores prefetched; 404 for any other organisation's."""
    return get_object_or_404(assessments_for_user(request).with_scores(), pk=pk)


def get_assessment_for_admin(request, pk, for_change=False):
    """An assessment to change (scores, findings, check reviews, drafts): 404 for another
    organisation's, then 403 for anyone but its admins. With `for_change`, the results of a
    past year are refused too (ChangeRefused, with the reason)."""
    assessment = get_assessment_for_user(request, pk)
    require_admin(request)
    if for_change and assessment.change_refusal():
        raise ChangeRefused(assessment.change_refusal())
    return assessment


def get_assessment_for_executive_or_admin(request, pk):
    """An assessment whose data-quality check the user may read: its organisation's admins and
    executives; 404 for another organisation's, 403 for staff."""
    assessment = get_assessment_for_user(request, pk)
    require_executive_or_admin(request)
    return assessment


def require_executive_or_admin(request):
    membership = get_membership(request)
    if not (membership.is_admin or membership.is_executive):
        raise PermissionDenied(_("เฉพาะผู้บริหารและผู้ดูแลระบบเท่านั้น"))
    return membership


def latest_assessment_for_user(request):
    """The newest assessment of the user's organisation that has indicator scores, or 404."""
    assessment = (
        assessments_for_user(request).with_scores().filter(scores__isnull=False)
        .order_by("-fiscal_year_id").distinct().first()
    )
    if assessment is None:
        raise Http404("ยังไม่มีผลการประเมิน")
    return assessment


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


def sign_ins_for_admin(request):
    """(sign-ins, failed sign-ins) of the users of the admin's own organisation, as two
    querysets of django-axes' records; 403 for anyone but an organisation admin.

    Records are matched by the username typed, so a failure under a name that is nobody's
    belongs to no organisation and shows only in the Django admin."""
    membership = require_admin(request)
    usernames = Membership.objects.filter(organisation_id=membership.organisation_id).values("user__username")
    return (
        AccessLog.objects.filter(username__in=usernames),
        AccessFailureLog.objects.filter(username__in=usernames),
    )


def audit_log_for_admin(request):
    """(membership, the organisation's audit entries newest first) for an organisation admin;
    403 for anyone else. Platform staff read every entry in the Django admin."""
    membership = require_admin(request)
    return membership, Entry.objects.filter(organisation_id=membership.organisation_id).order_by("-timestamp", "-id")


def get_public_assessment(organisation_id, year):
    """The public page's assessment, with its scores; 404 unless an admin has published it.

    Needs no sign-in: the page is for linking from the organisation's website. Looked up through
    `__pk`, which Django checks against the column's range: `organisation_id=` passes a number
    from the URL such as 10**20 to the database as it is, and SQLite fails on it (a 500)."""
    return get_object_or_404(
        Assessment.objects.with_scores().filter(is_public=True),
        organisation__pk=organisation_id, fiscal_year__pk=year,
    )


def jobs_for_user(request):
    """The jobs (and so the files) the user may see: an organisation job to whoever asked for it
    while a member of that organisation, and to its admins; an area job to whoever asked for it
    while the office of that same area. Nobody sees a job past its expiry."""
    user = request.user
    membership = getattr(user, "membership", None)
    oversight = None if membership else getattr(user, "oversight", None)
    visible = Q(pk__in=[])
    if membership:
        own = Q() if membership.is_admin else Q(user=user)
        visible |= Q(organisation_id=membership.organisation_id) & own
    if oversight:
        visible |= Q(user=user, organisation__isnull=True, province=oversight.province,
                     district=oversight.district)
    elif not membership and is_platform_staff(user):
        visible |= Q(user=user, organisation__isnull=True)  # their oversight exports
    return Job.objects.filter(visible, expires_at__gt=timezone.now())


def get_job_for_user(request, pk):
    """One job the user may see (its page, progress, file, cancel). A job of the user's own
    organisation that they may not see is a 403; any other is a 404."""
    job = jobs_for_user(request).select_related("user", "organisation", "assessment").filter(pk=pk).first()
    if job is not None:
        return job
    membership = getattr(request.user, "membership", None)
    if membership and Job.objects.filter(
        pk=pk, organisation_id=membership.organisation_id, expires_at__gt=timezone.now()
    ).exists():
        raise PermissionDenied(_("เฉพาะผู้สั่งงานและผู้ดูแลระบบของหน่วยงานเท่านั้น"))
    raise Http404


def is_platform_staff(user):
    """Django staff who belong to no organisation: they alone use Django's admin site and
    onboard organisations anywhere. A member of an organisation never is, whatever its flags."""
    return bool(
        user.is_authenticated and user.is_active and user.is_staff
        and getattr(user, "membership", None) is None
    )


def people_for_admin(request):
    """(the admin's membership, every membership of their organisation); 403 for anyone but
    an organisation admin."""
    membership = require_admin(request)
    return membership, Membership.objects.filter(organisation_id=membership.organisation_id)


def get_person_for_admin(request, pk):
    """One member of the user's own organisation, with their user: 404 for anyone else's, then
    403 for anyone but its admins."""
    membership = get_membership(request)
    person = get_object_or_404(
        Membership.objects.select_related("user", "organisation").filter(organisation_id=membership.organisation_id),
        pk=pk,
    )
    require_admin(request)
    return person


def get_unit_for_admin(request, pk):
    """One unit of the user's own organisation: 404 for anyone else's, then 403 for anyone but
    its admins."""
    membership = get_membership(request)
    unit = get_object_or_404(Unit.objects.filter(organisation_id=membership.organisation_id), pk=pk)
    require_admin(request)
    return unit


@dataclass(frozen=True)
class OnboardingArea:
    """Where a user onboards organisations: every province ("" for platform staff), or one
    province, or one district of it."""

    province: str = ""
    district: str = ""

    def organisations(self):
        found = Organisation.objects.all()
        if self.province:
            found = found.filter(province=self.province)
        if self.district:
            found = found.filter(district=self.district)
        return found


def get_onboarding_area(request):
    """The user's onboarding area; 403 for anyone but platform staff and area offices."""
    if is_platform_staff(request.user):
        return OnboardingArea()
    oversight = getattr(request.user, "oversight", None)
    if oversight is None or not oversight.province or getattr(request.user, "membership", None) is not None:
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ดูแลแพลตฟอร์มและสำนักงานระดับพื้นที่เท่านั้น"))
    # The area as the onboarding pages write it (the official province name, no prefixes), so
    # that what an office adds is what its own list shows.
    province = places.province_name(oversight.province) or oversight.province.strip()
    return OnboardingArea(province, places.district_name(oversight.district))


def get_onboarded_organisation(request, pk):
    """(area, an organisation of the user's onboarding area); 404 for one outside it."""
    area = get_onboarding_area(request)
    return area, get_object_or_404(area.organisations(), pk=pk)


def get_onboarded_admin(request, pk, member):
    """(organisation, one of its admins) for the user's onboarding area; 404 otherwise."""
    _area, organisation = get_onboarded_organisation(request, pk)
    admins = organisation.memberships.filter(role=Membership.Role.ADMIN).select_related("user", "organisation")
    return organisation, get_object_or_404(admins, pk=member)
