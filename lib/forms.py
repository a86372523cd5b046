"""Form fields and widgets every app's forms use: dates as Thai forms write them, a <select>
written without a template per option."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from lib import thai


class ThaiDateInput(forms.TextInput):
    """A date as Thai forms write it, day/month/BE year (24/11/2569), typed and shown back so.

    Not the browser's date picker: it shows the Gregorian calendar in the browser's own
    language and, typed into, sends 2569-01-01 for a year the person meant as BE."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("วว/ดด/ปปปป (พ.ศ.)"), "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return thai.numeric_date(value)
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A date read by thai.parse_date: BE or CE years, Thai or Arabic digits, refused outside
    2500-2700 BE."""

    widget = ThaiDateInput
    default_error_messages = {
        "format": _("วันที่ไม่ถูกต้อง: ใช้รูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 24/11/2569 (หรือ 2026-11-24)"),
        "calendar": _("วันที่ไม่ถูกต้อง: ไม่มีวันนี้ในปฏิทิน"),
        "range": _("วันที่ไม่ถูกต้อง: ปีต้องอยู่ระหว่าง พ.ศ. 2500 ถึง 2700"),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return thai.parse_date(value)
        except thai.DateError as error:
            raise ValidationError(self.error_messages[error.code], code=error.code) from None


class FastSelect(forms.Select):
    """Django's <select>, with its options written here instead of through a template each.

    The markup of Django's select.html and select_option.html (the field's attributes, the
    selected option, option groups), escaped as the templates escape it, but without their
    blank lines. A province's 50 districts cost 50 template includes otherwise (~14 ms of the
    oversight page)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        lines = [f'<select name="{conditional_escape(name)}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(f'  <optgroup label="{conditional_escape(group_name)}">')
            lines.extend(
                f'  <option value="{conditional_escape(option["value"])}"{_attributes(option["attrs"])}>'
                f'{conditional_escape(option["label"])}</option>'
                for option in options
            )
            if group_name:
                lines.append("  </optgroup>")
        lines.append("</select>")
        return mark_safe("\n".join(lines))


def _attributes(attrs):
    """As django/forms/widgets/attrs.html writes them: a True one bare, a False one left out."""
    return "".join(
        f" {conditional_escape(name)}" if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
