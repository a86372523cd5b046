"""Template questions about plan rows, answered by accounts.access (templates decide nothing)."""

from django import template

from measures import access

register = template.Library()


@register.filter
def may_change(membership, measure):
    """{% if membership|may_change:measure %}: whether to offer the row's edit controls."""
    return membership is not None and access.can_change_measure(membership, measure)
