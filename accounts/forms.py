import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lib.i18n import use_thai_errors
from notifications.models import LineChannel

from lib.http import portal_base_url
from .models import Membership
from .services import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, emails_in_use
from .tasks import send_mail_later


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


class OwnPasswordForm(SetPasswordForm):
    """The invitation's form: the person chooses their own password, checked by the validators
    in settings (AUTH_PASSWORD_VALIDATORS)."""

    new_password1 = forms.CharField(
        label=_("รหัสผ่านใหม่"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("พิมพ์รหัสผ่านใหม่อีกครั้ง"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    error_messages = {"password_mismatch": _("รหัสผ่านทั้งสองช่องไม่ตรงกัน")}


class ResetRequestForm(PasswordResetForm):
    """"ลืมรหัสผ่าน?": the address to send a reset link to. Django's form sends it only to active
    users with a usable password (get_users): nobody deactivated, and nobody invited who has not
    set a password yet (their link is the invitation, which their admin sends again). The mail
    is in Thai, its link built from PORTAL_BASE_URL as the invitations' are."""

    email = forms.EmailField(
        label=_("อีเมลของบัญชี"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={"required": _("กรุณากรอกอีเมล"),
                        "invalid": _("อีเมลไม่ถูกต้อง (ตัวอย่าง: somchai@example.go.th)")},
    )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        user = context["user"]
        context = {
            **context,
            "name": user.get_full_name() or user.username,
            "username": user.username,
            "link": portal_base_url() + reverse("password_reset_confirm", args=[context["uid"], context["token"]]),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
            "portal": portal_base_url(),
        }
        with translation.override("th"):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        # Queued, so that the answer takes as long for an unknown address (accounts/tasks.py).
        send_mail_later(EmailMessage(subject, body, from_email, [to_email]))


class EmailAddressField(forms.EmailField):
    """An e-mail address in lower case, as usernames are kept."""

    default_error_messages = {"invalid": _("อีเมลไม่ถูกต้อง (ตัวอย่าง: somchai@example.go.th)")}

    def clean(self, value):
        return super().clean(value).lower()


class PersonForm(forms.Form):
    """A member's name, role and units. The units offered are the organisation's active units
    and those the member already has; any other unit is refused."""

    name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=NAME_MAX_LENGTH)
    role = forms.ChoiceField(label=_("บทบาท"), choices=Membership.Role.choices, initial=Membership.Role.STAFF)
    units = forms.ModelMultipleChoiceField(
        label=_("สำนัก/กองที่สังกัด"), queryset=Membership.unit_model().objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("เจ้าหน้าที่แก้ไขได้เฉพาะมาตรการของสำนัก/กองที่สังกัด และมาตรการของทุกสำนัก/กอง"),
    )

    def __init__(self, *args, organisation, current_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["units"].queryset = organisation.units.for_picker(current_units)
        use_thai_errors(self)

    def clean(self):
        cleaned = super().clean()
        units = cleaned.get("units") or []
        if cleaned.get("role") == Membership.Role.STAFF and "units" in cleaned and not units:
            self.add_error("units", ValidationError(_("เจ้าหน้าที่ต้องสังกัดอย่างน้อยหนึ่งสำนัก/กอง"), code="required"))
        try:
            Membership.check_units(self.organisation, units)
        except ValidationError as error:
            self.add_error("units", error)
        return cleaned


class InvitePersonForm(PersonForm):
    email = EmailAddressField(label=_("อีเมล"), max_length=EMAIL_MAX_LENGTH,
                              help_text=_("ใช้เป็นชื่อผู้ใช้ และรับลิงก์สำหรับตั้งรหัสผ่าน"))
    field_order = ["name", "email", "role", "units"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["units"].queryset = organisation.units.active()
        use_thai_errors(self)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if emails_in_use([email]):
            raise ValidationError(_("อีเมลนี้มีผู้ใช้ในระบบแล้ว"), code="email_in_use")
        return email


class PersonEditForm(PersonForm):
    """A member's name, e-mail, role and units. The address is required once the person has one
    (invitations and password resets go to it) and must be no other user's."""

    email = EmailAddressField(label=_("อีเมล"), max_length=EMAIL_MAX_LENGTH)
    field_order = ["name", "email", "role", "units"]

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, organisation=person.organisation, **kwargs)
        self.user = person.user
        self.fields["email"].required = bool(self.user.email)
        if self.user.username.lower() == self.user.email.lower():
            self.fields["email"].help_text = _("ใช้เป็นชื่อผู้ใช้ด้วย: เมื่อเปลี่ยนอีเมล ชื่อผู้ใช้เปลี่ยนตาม")
        if person.invitation_pending:
            self.fields["email"].help_text = _(
                "ยังไม่ได้ตั้งรหัสผ่าน: เมื่อเปลี่ยนอีเมล ลิงก์คำเชิญเดิมใช้ไม่ได้อีก และระบบส่งคำเชิญใหม่ไปที่อีเมลใหม่")
        use_thai_errors(self)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and email != self.user.email.lower() and emails_in_use([email], except_user=self.user):
            raise ValidationError(_("อีเมลนี้มีผู้ใช้ในระบบแล้ว"), code="email_in_use")
        return email


class PersonActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


class UnitForm(forms.Form):
    name = forms.CharField(label=_("ชื่อสำนัก/กอง"), max_length=200)

    def __init__(self, *args, organisation, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation, self.unit = organisation, unit
        use_thai_errors(self)

    def clean_name(self):
        name = re.sub(r"\s+", " ", self.cleaned_data["name"]).strip()
        same = self.organisation.units.filter(name=name)
        if self.unit is not None:
            same = same.exclude(pk=self.unit.pk)
        if same.exists():
            raise ValidationError(_("มีสำนัก/กองชื่อ \"%(name)s\" ในหน่วยงานนี้แล้ว"), code="duplicate",
                                  params={"name": name})
        return name


class UnitMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class LineChannelForm(forms.ModelForm):
    """An organisation's LINE channel. The token is never put back in the page: left empty, the
    saved one is kept."""

    access_token = forms.CharField(
        label=_("Channel access token"), required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("จาก LINE Developers Console: Messaging API > Channel access token (long-lived) "
                    "เว้นว่างไว้เพื่อใช้ค่าที่บันทึกไว้เดิม"),
    )

    class Meta:
        model = LineChannel
        fields = ["access_token", "target_id", "enabled"]
        help_texts = {"target_id": _("รหัสกลุ่ม (ขึ้นต้นด้วย C) หรือรหัสผู้ใช้ (ขึ้นต้นด้วย U) ที่จะรับข้อความ")}

    def clean_access_token(self):
        token = self.cleaned_data["access_token"]
        if not token and not self.instance.pk:
            raise ValidationError(_("กรุณากรอก Channel access token"), code="required")
        if any(c.isspace() for c in token) or len(token) > 1000:
            raise ValidationError(_("Channel access token ไม่ถูกต้อง: ต้องไม่มีช่องว่างและยาวไม่เกิน 1,000 ตัวอักษร"),
                                  code="invalid")
        return token or self.instance.access_token

    def clean_target_id(self):
        target = self.cleaned_data["target_id"].strip()
        if not re.fullmatch(r"[UCR][0-9a-f]{32}", target):
            raise ValidationError(_("รหัสผู้รับไม่ถูกต้อง: ต้องขึ้นต้นด้วย U, C หรือ R ตามด้วยตัวอักษร 0-9 a-f 32 ตัว"),
                                  code="invalid")
        return target
