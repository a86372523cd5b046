"""Template filters for scores, Thai digits, Buddhist Era dates and level names."""

from django import template

from assessments import display, scoring
from lib import thai
from lib.i18n import display_date

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
    """A date in the Buddhist Era with the month name in the reader's language (Thai in the
    printed reports); fmt 'short' and/or 'thai' (Thai digits)."""
    if not value:
        return "–"
    return display_date(value, thai_digits="thai" in fmt, short="short" in fmt)


@register.filter
def numeric_date(value):
    """24/11/2569, as the date fields show a date (thai.numeric_date)."""
    return thai.numeric_date(value) if value else ""


@register.filter
def level_label(name):
    """A level name from the reference data as the reader's language shows it."""
    return display.level_label(name)


@register.filter
def indicator_name(name):
    """An indicator name from the reference data as the reader's language shows it."""
    return display.indicator_name(name)


@register.filter
def level_reason(result):
    """What kept a result from the next level up, in words, or ""."""
    return display.level_reason(result)
