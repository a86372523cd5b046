"""Writes of the yearly cycle that span several models: starting a fiscal year."""

from django.db import transaction

from assessments.models import Assessment, Indicator

from .models import Measure, Plan, PlanEvent


@transaction.atomic
def year_start(*, organisation, year, carry=(), keep_tracking=True, by):
    """Start fiscal year `year` for the organisation and return the new plan.

    Makes the year's assessment with no scores (entered or pasted later on the entry page;
    an assessment entered there before is used as it is), the plan for year + 1 as a draft,
    and a copy of each row in `carry` (unfinished rows of the previous plan). A copy keeps a
    link to its origin (`carried_from`), whose history and progress notes stay where they
    are; it starts with the origin's six columns, indicator (by number, among the new year's
    indicators), units and block, no planned dates (they were the old year's), and the
    origin's status and progress when `keep_tracking`, else not started at 0%.
    """
    assessment, _created = Assessment.objects.get_or_create(organisation=organisation, fiscal_year_id=year)
    plan = Plan.objects.create(assessment=assessment, fiscal_year_id=year + 1)
    indicators = {i.number: i for i in Indicator.objects.filter(fiscal_year_id=year)}
    for position, origin in enumerate(carry, start=1):
        copy = plan.new_row(
            indicator=indicators.get(origin.indicator.number) if origin.indicator else None,
            **{column: getattr(origin, column) for column in Measure.OFFICIAL_COLUMNS},
            for_all_units=origin.for_all_units,
            block=origin.block,
            position=position,
            status=origin.status if keep_tracking else Measure.Status.NOT_STARTED,
            progress=origin.progress if keep_tracking else 0,
            carried_from=origin,
        )
        copy.save()
        units = list(origin.units.all())
        if units:
            copy.units.set(units)
            # A second record holds the units, as for a row added by hand (see views.add).
            copy.save(update_fields=["updated_at"])
    plan.refresh_progress()
    plan.events.create(kind=PlanEvent.Kind.STARTED, by=by)
    return plan
