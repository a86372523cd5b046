"""Filters for the printed reports: Thai or Arabic digits by the reader's choice."""

from django import template

from lib import thai

register = template.Library()


@register.filter
def digits(value, thai_digits):
    """'90.42' -> '๙๐.๔๒' when `thai_digits` is true, else unchanged."""
    text = str(value)
    return thai.to_thai(text) if thai_digits else text

