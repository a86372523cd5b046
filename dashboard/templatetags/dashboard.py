"""Filters for the dashboard's figures."""

from django import template

from dashboard import charts

register = template.Library()


@register.filter
def percent(value):
    """28.25 -> '28.3' (half up to one place); None -> '–'."""
    return "–" if value is None else charts.percent_text(value)


@register.filter
def signed_score(value):
    """A change of score with its sign: 1.5 -> '+1.50', -4.25 -> '-4.25', 0 -> '0.00'; None -> '–'."""
    if value is None:
        return "–"
    return "0.00" if value == 0 else f"{value:+.2f}"
