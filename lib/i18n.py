"""Language helpers for views and forms: a view answered in Thai, forms' own Thai errors, and
dates in the reader's language."""

from functools import wraps

from django import forms
from django.utils import dateformat, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lib import thai

# The plan's forms word their own field errors: Django's Thai catalogue is terse ("กรอกหมายเลข"
# for a whole number). Like every text they follow the language the reader chose.
THAI_ERRORS = {
    "required": _("กรุณากรอกช่องนี้"),
    "invalid_choice": _("ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    "invalid_pk_value": _("ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ"),
    "max_value": _("ต้องไม่เกิน %(limit_value)s"),
    "min_value": _("ต้องไม่น้อยกว่า %(limit_value)s"),
    "max_length": _("ยาวเกินไป (ไม่เกิน %(limit_value)d ตัวอักษร)"),
}
INVALID = {
    forms.IntegerField: _("กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
    forms.URLField: _("ลิงก์ไม่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)"),
    forms.FileField: _("ไม่ใช่ไฟล์ที่ส่งมาอย่างถูกต้อง"),
}


def use_thai_errors(form):
    for field in form.fields.values():
        field.error_messages.update(THAI_ERRORS)
        for kind, message in INVALID.items():
            if isinstance(field, kind):
                field.error_messages["invalid"] = message


def in_thai(view):
    """Renders the view in Thai whatever the reader's language: the printed reports and the
    downloads are the organisation's Thai documents, and the import reads the plan's Thai
    column names and status labels back."""

    @wraps(view)
    def thai_view(request, *args, **kwargs):
        with translation.override("th"):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = "th"
        return response

    return thai_view

def display_date(day, *, short=False, thai_digits=False):
    """A date in the Buddhist Era: "24 พฤศจิกายน 2569" in Thai, "24 November 2569" in English
    (the year stays B.E., as fiscal years are everywhere in the portal).

    >>> import datetime
    >>> display_date(datetime.date(2026, 11, 24), short=True)
    '24 พ.ย. 2569'
    """
    if (get_language() or "th").startswith("th"):
        return thai.thai_date(day, thai_digits=thai_digits, short=short)
    return f"{dateformat.format(day, 'j M' if short else 'j F')} {thai.be_year(day.year)}"
