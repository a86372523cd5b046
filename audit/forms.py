from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import ThaiDateField, ThaiDateInput
from lib.i18n import use_thai_errors

from . import registry
from .models import Entry

SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


class LogFilterForm(forms.Form):
    """The log's query string: person, kind, model, date range and page. An invalid value is
    shown as an error and left out of the filter (the page); the export refuses it."""

    person = forms.ModelChoiceField(label=_("ผู้ใช้"), queryset=None, required=False, empty_label=_("ทุกคน"),
                                    widget=SELECT)
    kind = forms.ChoiceField(label=_("ประเภท"), required=False, widget=SELECT)
    model = forms.ChoiceField(label=_("ข้อมูล"), required=False, widget=SELECT)
    date_from = ThaiDateField(label=_("ตั้งแต่วันที่"), required=False, widget=ThaiDateInput(attrs={"class": "form-control form-control-sm"}))
    date_to = ThaiDateField(label=_("ถึงวันที่"), required=False, widget=ThaiDateInput(attrs={"class": "form-control form-control-sm"}))
    page = forms.IntegerField(label=_("หน้า"), required=False, min_value=1)

    def __init__(self, data, *, organisation_id):
        super().__init__(data)
        self.fields["person"].queryset = get_user_model().objects.filter(
            membership__organisation_id=organisation_id
        ).order_by("username")
        self.fields["person"].label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["kind"].choices = [("", _("ทุกประเภท")), *Entry.Kind.choices]
        self.models = {model._meta.label_lower: model for model in registry.organisation_models()}
        self.fields["model"].choices = [("", _("ทุกข้อมูล"))] + sorted(
            ((label, str(model._meta.verbose_name)) for label, model in self.models.items()), key=lambda c: c[1]
        )
        use_thai_errors(self)
        self.fields["date_from"].error_messages["invalid"] = _("วันที่ไม่ถูกต้อง (เช่น 2026-03-31)")
        self.fields["date_to"].error_messages["invalid"] = _("วันที่ไม่ถูกต้อง (เช่น 2026-03-31)")
        self.fields["page"].error_messages.update(
            invalid=_("เลขหน้าต้องเป็นจำนวนเต็ม"), min_value=_("เลขหน้าต้องไม่น้อยกว่า 1"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", ValidationError(_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"), code="date_order"))
        return data

    def filter(self, entries):
        """Apply the valid filters; dates are whole days in the portal's time zone, compared as
        moments so that the time index serves them."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("person"):
            person = data["person"]
            # Failed sign-ins have no actor (nobody is known to have tried): they are about
            # the person's account.
            about = Q(kind=Entry.Kind.SIGN_IN_FAILED, content_type=ContentType.objects.get_for_model(person),
                      object_id=person.pk)
            entries = entries.filter(Q(actor=person) | about)
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        if data.get("model"):
            entries = entries.filter(content_type=ContentType.objects.get_for_model(self.models[data["model"]]))
        if data.get("date_from"):
            entries = entries.filter(timestamp__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(timestamp__lt=_start_of(data["date_to"] + timedelta(days=1)))
        return entries

    @property
    def page_number(self):
        self.is_valid()
        return self.cleaned_data.get("page") or 1


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))
