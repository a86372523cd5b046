"""The dashboard's inputs: the what-if's target scores and the two years to compare.

Both come in the query string (nothing is saved), both accept Thai digits, and bad input gets a
Thai message instead of a result.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib import thai

NUMBER = re.compile(r"-?\d+(\.\d+)?")
TWO_PLACES = Decimal("0.01")


class ScoreField(forms.CharField):
    """A score from 0 to 100 with at most two decimals, in Arabic or Thai digits; empty is None."""

    default_error_messages = {
        "invalid": _("ใส่คะแนนเป็นตัวเลข เช่น 95 หรือ 92.50"),
        "decimals": _("ใส่ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        "range": _("คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        "digits": _("เขียนคะแนนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
    }

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        raw = super().to_python(value)
        if thai.mixes_digits(raw):
            raise ValidationError(self.error_messages["digits"], code="digits")
        text = thai.to_arabic(raw)
        if text in self.empty_values:
            return None
        if len(text) > 12 or not NUMBER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        score = Decimal(text)
        if score != score.quantize(TWO_PLACES):
            raise ValidationError(self.error_messages["decimals"], code="decimals")
        if not 0 <= score <= 100:
            raise ValidationError(self.error_messages["range"], code="range")
        return score.quantize(TWO_PLACES)


class WhatIfForm(forms.Form):
    """Target scores for any of the year's indicators; an empty field keeps the recorded score."""

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.indicators = list(assessment.fiscal_year.indicators.all())
        for indicator in self.indicators:
            self.fields[self.field_name(indicator.number)] = ScoreField(
                label=f"{indicator.number} {indicator.display_name}"
            )

    @staticmethod
    def field_name(number):
        return f"score_{number}"

    def targets(self):
        """Indicator number -> the score typed for it, for the fields that were filled in."""
        typed = {i.number: self.cleaned_data.get(self.field_name(i.number)) for i in self.indicators}
        return {number: score for number, score in typed.items() if score is not None}

    def scores(self):
        """The recorded scores with the typed targets in their place."""
        return {**self.assessment.score_map(), **self.targets()}

    def rows(self):
        """(indicator, recorded score, bound field) for each of the year's indicators."""
        recorded = self.assessment.score_map()
        return [
            (indicator, recorded.get(indicator.number), self[self.field_name(indicator.number)])
            for indicator in self.indicators
        ]


class YearField(forms.TypedChoiceField):
    """A fiscal year among the organisation's assessments, in Arabic or Thai digits."""

    def __init__(self, **kwargs):
        super().__init__(
            coerce=int,
            error_messages={
                "required": _("เลือกปีงบประมาณ"),
                "invalid_choice": _("ไม่มีผลการประเมินของปี %(value)s"),
            },
            **kwargs,
        )

    def to_python(self, value):
        return thai.to_arabic(super().to_python(value))


class CompareForm(forms.Form):
    first = YearField(label=_("ปีงบประมาณ"))
    second = YearField(label=_("เทียบกับปีงบประมาณ"))

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(year, str(year)) for year in years]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") is not None and cleaned.get("first") == cleaned.get("second"):
            raise ValidationError(_("เลือกปีงบประมาณสองปีที่ต่างกัน"), code="same_year")
        return cleaned
