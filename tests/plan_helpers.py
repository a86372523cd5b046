"""Helpers shared by the plan tests: a row's edit form as a browser would post it."""


def edit_data(measure, **changes):
    """The edit form's fields for `measure` as it stands, with `changes` applied."""
    data = {
        "indicator": measure.indicator_id,
        "indicator_label": measure.indicator_label,
        "analysis": measure.analysis,
        "activity": measure.activity,
        "method": measure.method,
        "period": measure.period,
        "responsible": measure.responsible,
        "status": measure.status,
        "progress": measure.progress,
        "start_date": measure.start_date.isoformat() if measure.start_date else "",
        "end_date": measure.end_date.isoformat() if measure.end_date else "",
        "version": measure.version,
        # Only an admin's form has the units; a browser posts the ticked ones.
        "units": [unit.pk for unit in measure.units.all()],
    }
    data.update(changes)
    return data


def approve(plan, personas, signed_on=None):
    """Submit the plan (as the admin) and approve it (as the executive), as the step pages do."""
    from datetime import date

    from measures.models import PlanEvent

    plan.take_step(PlanEvent.Kind.SUBMITTED, by=personas["org_admin"])
    plan.take_step(
        PlanEvent.Kind.APPROVED, by=personas["executive"], signer_name="นายสมชาย ใจดี",
        signer_position="นายกองค์การบริหารส่วนตำบลทดสอบ", signed_on=signed_on or date(2025, 10, 20),
        comment="เห็นชอบ",
    )
    return plan
