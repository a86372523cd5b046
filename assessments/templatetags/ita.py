"""Template filters for scores, Thai digits and Buddhist Era dates."""

from django import template

from assessments import scoring, thai

register = template.Library()


@register.filter
def score(value):
    """90.417 -> '90.42' (half up); None -> '–'."""
    if value is None or value == "":
        return "–"
    return f"{scoring.round2(value):.2f}"


@register.filter
def thai_digits(value):
    return thai.to_thai(str(value))


@register.filter
def thai_date(value, fmt=""):
    """A date in the Buddhist Era with the Thai month name; fmt 'short' and/or 'thai'."""
    if not value:
        return "–"
    return thai.thai_date(value, thai_digits="thai" in fmt, short="short" in fmt)
