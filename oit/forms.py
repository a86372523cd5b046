from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lib.forms import ThaiDateField
from lib.i18n import use_thai_errors
from measures.forms import ACCEPTED_TYPES, check_evidence_upload
from measures.forms import MAX_UPLOAD_BYTES

from .models import Item, Workspace

URL_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 2000


class AssignForm(forms.ModelForm):
    """An admin's assignment of an item: its responsible units and due date."""

    class Meta:
        model = Item
        fields = ["units", "due_date"]
        field_classes = {"due_date": ThaiDateField}
        widgets = {"units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)
        organisation = self.instance.workspace.organisation
        self.fields["units"].queryset = organisation.units.for_picker(self.instance.units.all())


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("สถานะ"), choices=Item.Status.choices,
                               widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)


class LinkForm(forms.Form):
    url = forms.URLField(label=_("ลิงก์ที่เผยแพร่"), max_length=URL_MAX_LENGTH, assume_scheme="https",
                         widget=forms.URLInput(attrs={"class": "form-control"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)

    def clean_url(self):
        return self.cleaned_data["url"].strip()


class FileForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์หลักฐาน"), widget=forms.ClearableFileInput(attrs={"class": "form-control"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)
        self.fields["file"].help_text = _("รับ %(types)s") % {"types": ACCEPTED_TYPES}
        self.fields["file"].error_messages["empty"] = _("ไฟล์ที่ส่งมาว่างเปล่า")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind, self.display_name = check_evidence_upload(upload)
        return upload


class ReviewForm(forms.Form):
    review = forms.ChoiceField(label=_("ผลการตรวจภายใน"), choices=Item.Review.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("ความเห็น"), required=False, max_length=COMMENT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("review") == Item.Review.FAILED and not cleaned.get("comment", "").strip():
            raise forms.ValidationError(_("ผล ไม่ผ่าน ต้องมีความเห็นว่าขาดอะไร"), code="comment_required")
        return cleaned


class SettingsForm(forms.ModelForm):
    """An admin's settings of the workspace: the named reviewers and the public page."""

    class Meta:
        model = Workspace
        fields = ["reviewers", "is_public"]
        widgets = {"reviewers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)
        self.fields["reviewers"].queryset = get_user_model().objects.filter(
            membership__organisation=self.instance.organisation, is_active=True
        ).order_by("username")
        self.fields["reviewers"].label_from_instance = lambda user: user.get_full_name() or user.username


class UploadForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์รายการ OIT (.xlsx หรือ .csv)"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("ไฟล์ใหญ่เกิน %(mb)s MB") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}, code="too_large")
        return upload


class ConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)
