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
