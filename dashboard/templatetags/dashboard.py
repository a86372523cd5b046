"""Filters for the dashboard's figures."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

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


@register.simple_tag
def measure_link(measure):
    """A plan row's activity, linked to the row's page in the plan when the plan's pages are
    installed (the dashboard does not need them). A tag rather than an included template: the
    dashboard lists a row per measure, and an include costs ten times a tag."""
    try:
        url = reverse("measures:detail", args=[measure.pk])
    except NoReverseMatch:
        return measure.activity
    return format_html('<a href="{}">{}</a>', url, measure.activity)
