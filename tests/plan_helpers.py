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
