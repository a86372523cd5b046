from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Django's sign-in form with Thai labels and messages (Django's Thai catalogue lacks some)."""

    username = forms.CharField(
        label=_("ชื่อผู้ใช้"), max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("รหัสผ่าน"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (ตัวพิมพ์เล็ก/ใหญ่มีผล)"),
        "inactive": _("บัญชีนี้ถูกระงับการใช้งาน"),
    }


class ReminderSettingsForm(forms.Form):
    reminders_enabled = forms.BooleanField(
        label=_("ส่งอีเมลแจ้งเตือนมาตรการที่ใกล้ครบกำหนด ล่าช้า หรือไม่ได้ปรับปรุงนาน ถึงฉันทุกวัน"),
        required=False,
    )


class SignInLogForm(forms.Form):
    """The sign-in record's query string: which records and which page."""

    kind = forms.ChoiceField(
        label=_("แสดง"), required=False,
        choices=[("", _("ทั้งหมด")), ("sign_in", _("เข้าสู่ระบบสำเร็จ")), ("failed", _("เข้าสู่ระบบไม่สำเร็จ"))],
        error_messages={"invalid_choice": _("ตัวเลือกไม่ถูกต้อง กรุณาเลือกจากรายการ")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    page = forms.IntegerField(
        label=_("หน้า"), required=False, min_value=1,
        error_messages={"invalid": _("เลขหน้าต้องเป็นจำนวนเต็ม"), "min_value": _("เลขหน้าต้องไม่น้อยกว่า 1")},
    )
