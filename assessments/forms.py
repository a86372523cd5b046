"""Forms for entering a year's results and findings and reviewing the check; and the date field
every form of the portal uses."""


from decimal import InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib import thai

from . import analysis, paste
from .display import level_label
from .models import Assessment, Finding, IndicatorScore, Tool

# The longest finding accepted (the seed's longest is about 800 characters).
FINDING_TEXT_MAX_LENGTH = 10000


def code_order(code):
    """i2 before i10: by letter, then by number."""
    return (code[0], int(code[1:]) if code[1:].isdigit() else 0, code)


class ScoreInput(forms.DecimalField):
    """A decimal in Thai or in Arabic digits, never both in one number, read by
    thai.read_number like a pasted score."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = thai.read_number(value)
            except thai.MixedDigits:
                raise ValidationError(self.error_messages["digits"], code="digits") from None
            except InvalidOperation:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


def digits_message(label):
    """What the entry form says of a number mixing digit systems; the paste reader says the same."""
    return format_lazy(_("{label} ต้องเขียนด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"), label=label)


def score_field(label, required=False):
    """A score from 0 to 100 with at most two decimals; Thai or Arabic digits."""
    return ScoreInput(
        label=label, required=required, min_value=0, max_value=100, max_digits=5, decimal_places=2,
        error_messages={
            "invalid": format_lazy(_("{label} ต้องเป็นตัวเลข"), label=label),
            "min_value": format_lazy(_("{label} ต้องไม่ต่ำกว่า 0"), label=label),
            "max_value": format_lazy(_("{label} ต้องไม่เกิน 100"), label=label),
            "max_decimal_places": format_lazy(_("{label} มีทศนิยมได้ไม่เกินสองตำแหน่ง"), label=label),
            "max_digits": format_lazy(_("{label} ต้องอยู่ระหว่าง 0 ถึง 100"), label=label),
            "max_whole_digits": format_lazy(_("{label} ต้องอยู่ระหว่าง 0 ถึง 100"), label=label),
            "digits": digits_message(label),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def score_label(number):
    return gettext("คะแนนตัวชี้วัดที่ %(number)s") % {"number": number}


class ScoreForm(forms.Form):
    """The ten indicator scores of one year and the result the NACC published.

    Either all ten scores are given (the portal computes the overall and level) or none, for a
    history year of which only the published overall is known.
    """

    published_overall = score_field(_("คะแนนภาพรวมที่ประกาศ"))
    # Kept as the document wrote it, even where it is not one of the year's levels (some wrote
    # "AA" for 2566, when the NACC published ผ่าน/ไม่ผ่าน): the check reports it (checks.py).
    published_level = forms.CharField(
        label=_("ระดับที่ประกาศ"), required=False, max_length=50,
        error_messages={"max_length": _("ระดับยาวได้ไม่เกิน 50 ตัวอักษร")},
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.indicators = list(year.indicators.all())
        # Offered as suggestions (a datalist), never imposed.
        self.level_choices = [(level.name, level_label(level.name)) for level in year.levels.all()]
        for indicator in self.indicators:
            self.fields[f"score_{indicator.number}"] = score_field(score_label(indicator.number))
            self.fields[f"name_{indicator.number}"] = forms.CharField(
                required=False, max_length=200, widget=forms.HiddenInput
            )

    def rows(self):
        """(indicator, score field, name field) per indicator, for the template."""
        return [
            (i, self[f"score_{i.number}"], self[f"name_{i.number}"]) for i in self.indicators
        ]

    def scores(self):
        """The scores that passed validation, {number: Decimal} (after `is_valid()`)."""
        data = getattr(self, "cleaned_data", {})
        return {
            i.number: data[f"score_{i.number}"]
            for i in self.indicators
            if data.get(f"score_{i.number}") is not None
        }

    def result(self):
        """The computed result of the valid scores, by the same engine as every other page."""
        return Assessment(fiscal_year=self.year).evaluate(self.scores())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        given = self.scores()
        if given and len(given) < len(self.indicators):
            missing = ", ".join(str(i.number) for i in self.indicators if i.number not in given)
            raise ValidationError(
                gettext("กรอกคะแนนให้ครบทุกตัวชี้วัด (ยังขาดตัวชี้วัดที่ %(missing)s) หรือเว้นว่างทั้งหมดเมื่อมีเพียงคะแนนภาพรวมที่ประกาศ")
                % {"missing": missing},
                code="incomplete_scores",
            )
        if not given and cleaned.get("published_overall") is None:
            raise ValidationError(
                gettext("กรอกคะแนนรายตัวชี้วัด หรืออย่างน้อยคะแนนภาพรวมที่ประกาศ"), code="empty"
            )
        return cleaned

    @transaction.atomic
    def save(self, organisation, assessment=None):
        """Create or update the assessment and its score rows in one transaction."""
        data = self.cleaned_data
        if assessment is None:
            assessment = Assessment.objects.create(
                organisation=organisation, fiscal_year=self.year,
                published_overall=data["published_overall"], published_level=data["published_level"],
            )
        else:
            assessment.published_overall = data["published_overall"]
            assessment.published_level = data["published_level"]
            assessment.save(update_fields=["published_overall", "published_level", "updated_at"])
        given = self.scores()
        assessment.scores.exclude(indicator__number__in=given).delete()
        for indicator in self.indicators:
            if indicator.number not in given:
                continue
            row, _created = IndicatorScore.objects.get_or_create(
                assessment=assessment, indicator=indicator,
                defaults={"score": given[indicator.number]},
            )
            row.score = given[indicator.number]
            name = data[f"name_{indicator.number}"].strip()
            if name:
                row.name_as_written = name
            row.save(update_fields=["score", "name_as_written"])
        assessment.refresh_results()
        return assessment


class PasteForm(forms.Form):
    paste = forms.CharField(
        label=_("วางตารางคะแนน"), max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        error_messages={
            "required": _("วางตารางคะแนนก่อน แล้วจึงกด “อ่านตาราง”"),
            "max_length": _("ข้อความยาวเกินไป: วางเฉพาะตารางคะแนน (ไม่เกิน 20,000 ตัวอักษร)"),
        },
        help_text=_("บรรทัดละหนึ่งตัวชี้วัด: หมายเลข ชื่อ และคะแนน คั่นด้วยแท็บหรือช่องว่าง ตัวเลขไทยหรืออารบิกก็ได้"),
    )

    def read(self, indicators):
        """The pasted table as paste.Table, names matched against each indicator's known names."""
        known = {i.number: i.known_names() for i in indicators}
        misspelt = {i.number: i.misspelt_names() for i in indicators}
        return paste.read_table(self.cleaned_data["paste"], known, misspelt)


PASTE_REASONS = {
    paste.HEADER: _("หัวตาราง: ข้าม"),
    paste.NO_SCORE: _("ไม่พบคะแนนในบรรทัดนี้"),
    paste.SCORE_RANGE: _("%(score)s ไม่ใช่คะแนน: คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
    paste.SCORE_PLACES: _("คะแนน %(score)s มีทศนิยมเกินสองตำแหน่ง"),
    paste.MANY_NUMBERS: _("พบตัวเลขหลายจำนวน (%(numbers)s) จึงไม่แน่ใจว่าจำนวนใดคือคะแนน"),
    paste.NO_INDICATOR: _("ไม่มีตัวชี้วัดที่ %(indicator)s ในปีงบประมาณนี้"),
    paste.GARBLED_NUMBER: _("หมายเลข “%(written)s” มีตัวอักษรปนตัวเลข (อาจเป็น %(guess)s) และชื่อในบรรทัดไม่ยืนยันว่าเป็นตัวชี้วัดที่ %(guess)s (ชื่อเป็นของตัวชี้วัดที่ %(named)s): ไม่อ่านบรรทัดนี้ แก้หมายเลขแล้ววางใหม่"),
    paste.DUPLICATE_OVERALL: _("คะแนนภาพรวมซ้ำกับบรรทัดที่ %(first)s: ใช้คะแนนของบรรทัดแรก"),
    paste.UNKNOWN_NAME: _("ไม่มีหมายเลขตัวชี้วัด และไม่รู้จักชื่อ “%(name)s”"),
    paste.NO_NAME: _("ไม่มีหมายเลขหรือชื่อตัวชี้วัด"),
    paste.DUPLICATE: _("ตัวชี้วัดที่ %(indicator)s ซ้ำกับบรรทัดที่ %(first)s: ใช้คะแนนของบรรทัดแรก"),
    paste.OTHER_NAME: _("ชื่อ “%(name)s” เป็นชื่อของตัวชี้วัดที่ %(other)s: ใช้ตามหมายเลข %(indicator)s"),
    paste.UNKNOWN_NAME_NUMBERED: _("ไม่รู้จักชื่อ “%(name)s”: ใช้ตามหมายเลข %(indicator)s"),
    paste.CLOSE_MATCH: _("ไม่มีหมายเลข: อ่านชื่อ “%(name)s” เป็น “%(known)s” เพราะสะกดใกล้เคียง"),
    paste.MISSPELT_NAME: _("ชื่อ “%(name)s” ต่างจากชื่อทางการ “%(official)s”: ใช้ตามหมายเลข %(indicator)s"),
    paste.READ_GARBLED: _("อ่านหมายเลข “%(written)s” เป็น %(indicator)s ตามชื่อตัวชี้วัดในบรรทัด ตรวจว่าถูกต้อง"),
    paste.OVERALL: _("คะแนนภาพรวม %(score)s: ใส่ในช่องคะแนนภาพรวมที่ประกาศ"),
}


def describe_line(line):
    """What to tell the user about one pasted line, in their language ('' when all is well)."""
    if not line.reason:
        return ""
    if line.reason == paste.MIXED_DIGITS:
        return str(digits_message(_mixed_label(line.params)))
    return str(PASTE_REASONS[line.reason]) % line.params


def _mixed_label(params):
    """The field the number would have filled, named as the entry form names it, so that the
    message is the form's own."""
    if params["what"] == "overall":
        return ScoreForm.base_fields["published_overall"].label
    if params["what"] == "indicator":
        return gettext("หมายเลขตัวชี้วัด")
    if params.get("indicator") is not None:
        return score_label(params["indicator"])
    return gettext("คะแนน")


def analysis_names(year):
    """{number: names} of the year's indicators, as the analysis reader takes them."""
    return {i.number: i.known_names() + i.misspelt_names() for i in year.indicators.all()}


class AnalysisForm(forms.Form):
    """The NACC's analysis of the year, pasted whole: read for a preview, saved on confirmation."""

    text = forms.CharField(
        label=_("วางผลการวิเคราะห์"), max_length=100000,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        error_messages={
            "required": _("วางผลการวิเคราะห์ก่อน แล้วจึงกด “อ่านผลการวิเคราะห์”"),
            "max_length": _("ข้อความยาวเกินไป: วางเฉพาะส่วนการวิเคราะห์ผลการประเมิน (ไม่เกิน 100,000 ตัวอักษร)"),
        },
        help_text=_("หัวข้อตัวชี้วัดพร้อมคะแนน เช่น “๑. การปฏิบัติหน้าที่ (๙๓.๓๓ คะแนน)” ตามด้วยจุดเด่นและจุดที่ควรพัฒนา ย่อหน้าละหนึ่งประเด็น"),
    )

    def read(self, year):
        """The pasted text as analysis.Analysis; no point read at all is an error of the form."""
        result = analysis.read_analysis(self.cleaned_data["text"], analysis_names(year))
        if not result.points:
            self.add_error("text", ValidationError(
                gettext("ไม่พบจุดเด่นหรือจุดที่ควรพัฒนาในข้อความนี้: ตรวจว่ามีหัวข้อตัวชี้วัด เช่น “๑. การปฏิบัติหน้าที่ (๙๓.๓๓ คะแนน)” และคำว่า “จุดเด่น” หรือ “จุดที่ควรพัฒนา”"),
                code="nothing_read",
            ))
        return result


ANALYSIS_REASONS = {
    analysis.TITLE: _("หัวเรื่อง: ข้าม"),
    analysis.BEFORE_HEADING: _("อยู่ก่อนหัวข้อตัวชี้วัดแรก (เช่น “๑. การปฏิบัติหน้าที่ (๙๓.๓๓ คะแนน)”): ข้าม"),
    analysis.UNKNOWN_INDICATOR: _("ไม่มีตัวชี้วัดที่ %(indicator)s ในปีงบประมาณนี้: ข้ามหัวข้อนี้และข้อความใต้หัวข้อ"),
    analysis.UNDER_UNKNOWN: _("อยู่ใต้หัวข้อที่อ่านไม่ได้: ข้าม"),
    analysis.NO_KIND: _("ยังไม่มีคำว่า “จุดเด่น” หรือ “จุดที่ควรพัฒนา” ใต้ตัวชี้วัดที่ %(indicator)s จึงไม่รู้ว่าเป็นประเด็นประเภทใด: ข้าม"),
    analysis.TABLE_ROW: _("เป็นแถวของตาราง (มีแท็บ) ไม่ใช่ผลการวิเคราะห์: ข้าม"),
    analysis.MIXED_DIGITS: _("ตัวเลข “%(number)s” เขียนด้วยเลขไทยปนเลขอารบิก: แก้ตัวเลขแล้ววางใหม่"),
    analysis.SCORE_RANGE: _("%(score)s ไม่ใช่คะแนน: คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
    analysis.DUPLICATE_HEADING: _("ตัวชี้วัดที่ %(indicator)s ซ้ำกับหัวข้อบรรทัดที่ %(first)s: ใช้คะแนนของหัวข้อแรก ประเด็นใต้หัวข้อนี้นับเป็นของตัวชี้วัดเดียวกัน"),
}


def describe_skipped(skipped):
    """Why a line of the pasted analysis was not read, in the reader's language."""
    return str(ANALYSIS_REASONS[skipped.reason]) % skipped.params


def code_label(code):
    """A code as the pickers show it: with its wording where the year has it ("o11 แผนการ
    จัดซื้อจัดจ้าง..."), else the code alone."""
    return f"{code.code} · {code.title}" if code.title else code.code


class FindingForm(forms.ModelForm):
    """A strength or point to improve, with a code picker and OIT items of the year only."""

    code = forms.ChoiceField(label=_("รหัสข้อคำถาม"), required=False)
    oit_refs = forms.MultipleChoiceField(
        label=_("ข้อ OIT ที่อ้างอิง"), required=False, widget=forms.CheckboxSelectMultiple
    )
    score = score_field(_("คะแนนข้อ"))

    class Meta:
        model = Finding
        fields = ["indicator", "kind", "code", "score", "text", "recommendation", "oit_refs"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "recommendation": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "text": {"required": _("เขียนข้อความของผลการวิเคราะห์")},
            "indicator": {"required": _("เลือกตัวชี้วัด"), "invalid_choice": _("ไม่มีตัวชี้วัดนี้ในปีนี้")},
            "kind": {"required": _("เลือกประเภท")},
        }

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        indicators = list(year.indicators.all())
        self.fields["text"].validators.append(MaxLengthValidator(FINDING_TEXT_MAX_LENGTH))
        self.fields["text"].error_messages["max_length"] = gettext(
            "ข้อความยาวเกิน %(limit)s ตัวอักษร") % {"limit": FINDING_TEXT_MAX_LENGTH}
        self.fields["recommendation"].validators.append(MaxLengthValidator(FINDING_TEXT_MAX_LENGTH))
        self.fields["indicator"].queryset = year.indicators.all()
        self.fields["indicator"].empty_label = None
        codes = sorted(year.codes.select_related("indicator"), key=lambda c: code_order(c.code))
        # Survey questions and OIT items alike: a point of the OIT indicators names its item (o11).
        self.code_indicator = {c.code: c.indicator for c in codes}
        self.fields["code"].choices = [("", _("– ไม่ระบุรหัส –"))] + [
            (
                f"{i.number} {i.name}",
                [(c.code, code_label(c)) for c in codes if c.indicator_id == i.pk],
            )
            for i in indicators
        ]
        self.fields["code"].error_messages["invalid_choice"] = gettext(
            "รหัส %(value)s ไม่มีในรายการรหัสของปี %(year)s"
        ) % {"value": "%(value)s", "year": year.year}
        oit_items = [c for c in codes if c.tool == Tool.OIT]
        self.fields["oit_refs"].choices = [(c.code, f"{c.code} {c.title}".strip()) for c in oit_items]
        self.fields["oit_refs"].error_messages["invalid_choice"] = gettext(
            "ข้อ %(value)s ไม่มีในรายการข้อ OIT ของปี %(year)s"
        ) % {"value": "%(value)s", "year": year.year}
        listed = {c.code for c in oit_items}
        unlisted = [r for r in self.instance.oit_refs if r not in listed]
        self.oit_list_complete = year.oit_list_complete
        if year.oit_list_complete:
            # What an existing finding refers to but the year's list lacks (imported as written):
            # shown so that saving, which keeps only listed codes, drops nothing unannounced.
            self.unlisted_refs = unlisted
        else:
            # A list that is absent or incomplete cannot say an item is wrong: keep what is there.
            self.unlisted_refs = []
            self.fields["oit_refs"].choices += [
                (ref, gettext("%(code)s (ไม่มีในรายการข้อ OIT ของปีนี้ที่ระบบมี)") % {"code": ref}) for ref in unlisted
            ]
        self.unlisted_code = (
            self.instance.code if self.instance.code and self.instance.code not in self.code_indicator else ""
        )

    def clean(self):
        cleaned = super().clean()
        code, indicator = cleaned.get("code"), cleaned.get("indicator")
        if code and indicator and self.code_indicator[code] != indicator:
            owner = self.code_indicator[code]
            self.add_error("code", ValidationError(
                gettext("ข้อ %(code)s เป็นของตัวชี้วัดที่ %(owner)s %(name)s ไม่ใช่ตัวชี้วัดที่ %(number)s")
                % {"code": code, "owner": owner.number, "name": owner.display_name, "number": indicator.number},
                code="code_other_indicator",
            ))
        return cleaned


class ReviewKeyForm(forms.Form):
    """Which item of the check (by its stable key)."""

    key = forms.CharField(max_length=300, widget=forms.HiddenInput)


class ReviewForm(ReviewKeyForm):
    """Mark one item of the check as reviewed, with the reviewer's comment."""

    comment = forms.CharField(
        label=_("ความเห็น"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("เขียนความเห็นว่าตรวจแล้วพบอะไร หรือเหตุใดจึงคงไว้ตามเดิม")},
    )

    def __init__(self, *args, keys, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = keys

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key not in self.keys:
            raise ValidationError(
                gettext("รายการนี้ไม่อยู่ในผลการตรวจล่าสุดแล้ว: โหลดหน้าใหม่แล้วตรวจอีกครั้ง"),
                code="stale_key",
            )
        return key
