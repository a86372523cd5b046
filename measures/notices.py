"""What the plan's events tell people (through notifications): a plan submitted, approved, sent
back or reopened, and rows newly assigned to a unit. The texts are Thai, as the e-mails are."""

from django.urls import reverse
from django.utils import translation

from notifications import kinds
from notifications.delivery import notify

from .models import PlanEvent

STEP_KINDS = {
    PlanEvent.Kind.SUBMITTED: kinds.PLAN_SUBMITTED,
    PlanEvent.Kind.APPROVED: kinds.PLAN_APPROVED,
    PlanEvent.Kind.RETURNED: kinds.PLAN_RETURNED,
    PlanEvent.Kind.REOPENED: kinds.PLAN_REOPENED,
}

STEP_TEXTS = {
    PlanEvent.Kind.SUBMITTED: "แผนพัฒนาองค์กรปี {year} รออนุมัติ: {name} เสนอผู้บริหารแล้ว",
    PlanEvent.Kind.APPROVED: "แผนพัฒนาองค์กรปี {year} ได้รับอนุมัติแล้ว โดย {name}",
    PlanEvent.Kind.RETURNED: "แผนพัฒนาองค์กรปี {year} ถูกส่งกลับไปแก้ไข โดย {name}",
    PlanEvent.Kind.REOPENED: "แผนพัฒนาองค์กรปี {year} ถูกเปิดแก้ไขหลังอนุมัติ โดย {name} ต้องเสนออนุมัติใหม่",
}


def _name(user):
    return user.get_full_name() or user.username


def plan_step_taken(plan, event):
    """Tell whom the step concerns (the step's kind says who), never the person who took it."""
    kind = STEP_KINDS.get(event.kind)
    if kind is None:  # marking a plan reported tells nobody
        return []
    text = STEP_TEXTS[event.kind].format(year=plan.fiscal_year_id, name=_name(event.by))
    if event.comment:
        text += f" ({event.comment})"
    link = reverse("measures:plan_approve" if event.kind == PlanEvent.Kind.SUBMITTED else "measures:plan",
                   args=[plan.fiscal_year_id])
    return notify(kind=kind, organisation=plan.assessment.organisation, text=text, link=link, exclude=event.by)


def units_assigned(measure, units, *, by):
    """Tell the staff of `units` (the units the row has just been given) that the row is theirs."""
    if not units:
        return []
    with translation.override("th"):
        names = ", ".join(unit.name for unit in units)
    activity = " ".join(measure.activity.split())
    if len(activity) > 200:
        activity = activity[:199] + "…"
    text = f"มาตรการใหม่ของ {names} ในแผนปี {measure.fiscal_year_id}: {activity}"
    return notify(
        kind=kinds.ROW_ASSIGNED, organisation=measure.assessment.organisation, text=text,
        link=reverse("measures:detail", args=[measure.pk]), units=units, exclude=by,
    )


def units_assigned_by_import(plan, new_rows_of_unit, *, by):
    """Tell each unit's staff how many rows an imported file has just given their unit (one
    notice per unit, not one per row: a file may hold thousands), linking to the plan filtered
    by the unit."""
    made = []
    for unit, count in new_rows_of_unit.items():
        text = f"มาตรการใหม่ของ {unit.name} ในแผนปี {plan.fiscal_year_id} จากการนำเข้าไฟล์: {count} มาตรการ"
        link = reverse("measures:plan", args=[plan.fiscal_year_id]) + f"?unit={unit.pk}"
        made += notify(kind=kinds.ROW_ASSIGNED, organisation=plan.assessment.organisation, text=text, link=link,
                       units=[unit], exclude=by)
    return made
