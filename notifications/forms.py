from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    """One tick box per kind the person may receive: ticked, the kind comes by e-mail too."""

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.key] = forms.BooleanField(
                label=kind.label, help_text=_("ผู้รับ: %(audience)s") % {"audience": kind.audience}, required=False,
            )


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)
    unread = forms.BooleanField(required=False)
