"""Filters for the dashboard's figures."""

from django import template
from django.utils.safestring import mark_safe

from dashboard import charts, tables

register = template.Library()


@register.filter
def percent(value):
    """28.25 -> '28.3' (half up to one place); None -> '–'."""
    return "–" if value is None else charts.percent_text(value)


@register.filter
def signed_score(value):
    """A change of score with its sign: 1.5 -> '+1.50', -4.25 -> '-4.25', 0 -> '0.00'; None -> '–'."""
    return tables.signed_score(value)


@register.simple_tag
def measure_link(measure):
    """A plan row's activity, linked to the row's page in the plan when the plan's pages are
    installed (the dashboard does not need them). A tag rather than an included template: the
    dashboard lists a row per measure, and an include costs ten times a tag."""
    return mark_safe(tables.measure_link(measure))  # noqa: S308 (escaped by tables.measure_link)


@register.simple_tag
def weakest_rows(rows, assessment, gap_label):
    """The weakest-first table's rows (dashboard/tables.py)."""
    return mark_safe(tables.weakest_rows(rows, assessment, gap_label))  # noqa: S308 (escaped there)


@register.simple_tag
def measure_rows(measures):
    """The rows of a list of plan rows with their tracking (dashboard/tables.py)."""
    return mark_safe(tables.measure_rows(measures))  # noqa: S308 (escaped there)
