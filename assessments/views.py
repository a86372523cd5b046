from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_membership, is_platform_staff, require_admin, require_executive_or_admin

from .access import assessments_for_user, get_assessment_for_admin, get_assessment_for_executive_or_admin
from .checks import check_assessment, errors_and_todos, oit_list_note, published_mismatches
from . import services
from .forms import (
    AnalysisForm,
    FindingForm,
    PasteForm,
    ReviewForm,
    ReviewKeyForm,
    ScoreForm,
    describe_line,
    describe_skipped,
)
from .models import CheckReview, FiscalYear


@login_required
def home(request):
    """Each role's landing page: executives and admins the dashboard, staff the plan, area
    offices their oversight view, platform staff the organisations they onboard; an
    organisation without results yet is told what to do."""
    if is_platform_staff(request.user):
        return redirect("onboarding:list")
    if getattr(request.user, "membership", None) is None and getattr(request.user, "oversight", None):
        return redirect("oversight:area")
    membership = get_membership(request)
    if membership.is_staff_member:
        return redirect("measures:current")
    if assessments_for_user(request).filter(scores__isnull=False).exists():
        return redirect("dashboard:latest")
    return render(request, "assessments/welcome.html", {"organisation": membership.organisation})


def _years_with_indicators():
    return FiscalYear.objects.filter(indicators__isnull=False).distinct()


@login_required
def assessment_list(request):
    """Every assessment of the organisation, with its computed and published result."""
    membership = require_executive_or_admin(request)
    assessments = list(assessments_for_user(request).with_scores().order_by("-fiscal_year"))
    entered = {a.fiscal_year_id for a in assessments}
    new_years = [y for y in _years_with_indicators() if y.year not in entered]
    return render(request, "assessments/list.html", {
        "organisation": membership.organisation,
        "assessments": assessments,
        "newest": assessments[0].fiscal_year_id if assessments else None,
        "new_years": new_years if membership.is_admin else [],
    })


def _year_for_entry(year):
    return get_object_or_404(
        _years_with_indicators().prefetch_related("indicators", "levels"), year=year
    )


@login_required
def assessment_new(request, year):
    membership = require_admin(request)
    fiscal_year = _year_for_entry(year)
    existing = assessments_for_user(request).filter(fiscal_year=fiscal_year).first()
    if existing is not None:
        messages.info(request, _("มีผลการประเมินปี %(year)s แล้ว: แก้ไขได้ที่หน้านี้") % {"year": year})
        return redirect("assessment_edit", pk=existing.pk)
    return _entry(request, membership, fiscal_year, None)


@login_required
def assessment_edit(request, pk):
    assessment = get_assessment_for_admin(request, pk, for_change=True)
    fiscal_year = _year_for_entry(assessment.fiscal_year_id)
    return _entry(request, get_membership(request), fiscal_year, assessment)


def _initial(assessment):
    if assessment is None:
        return {}
    initial = {
        "published_overall": assessment.published_overall,
        "published_level": assessment.published_level,
    }
    for row in assessment.scores.all():
        initial[f"score_{row.indicator.number}"] = row.score
        initial[f"name_{row.indicator.number}"] = row.name_as_written
    return initial


def _entry(request, membership, year, assessment):
    """The score form: "อ่านตาราง" fills it from a pasted table, "บันทึก" saves it."""
    paste_form, table = PasteForm(), None
    if request.method != "POST":
        values = _initial(assessment)
        form = ScoreForm(year=year, initial=values)
    elif request.POST.get("action") == "paste":
        paste_form = PasteForm(request.POST)
        values = request.POST.dict()
        if paste_form.is_valid():
            table = paste_form.read(year.indicators.all())
            for number, score in table.scores.items():
                values[f"score_{number}"] = score
                values[f"name_{number}"] = table.names.get(number, "")
            if table.overall is not None:
                values["published_overall"] = table.overall
        form = ScoreForm(year=year, initial=values)
    else:
        values = request.POST
        form = ScoreForm(request.POST, year=year)
        if form.is_valid():
            try:
                saved = form.save(membership.organisation, assessment)
            except IntegrityError:
                form.add_error(None, ValidationError(
                    _("มีผลการประเมินปี %(year)s ของหน่วยงานนี้แล้ว") % {"year": year.year},
                    code="duplicate_year",
                ))
            else:
                messages.success(request, _("บันทึกผลการประเมินปี %(year)s แล้ว") % {"year": year.year})
                return redirect("assessment_check", pk=saved.pk)
    # A missing earlier year may be entered (history for the charts); once saved it is a past
    # year like the others, read-only, so the page says so before it is saved.
    newest = assessments_for_user(request).newest_year() if assessment is None else None
    return render(request, "assessments/entry.html", {
        "year": year,
        "assessment": assessment,
        "newest": newest if newest is not None and year.year < newest else None,
        "form": form,
        "paste_form": paste_form,
        "table": table,
        "lines": [(line, describe_line(line)) for line in table.lines] if table else [],
        **_live(year, values),
    })


def _live(year, values):
    """The live result for the values in the form: computed by the score engine, compared with
    the published result, with the reason of any value it had to leave out."""
    form = ScoreForm({k: v for k, v in values.items() if v is not None}, year=year)
    form.is_valid()
    result = form.result()
    data = form.cleaned_data
    return {
        "result": result,
        "published": published_mismatches(
            result, data.get("published_overall"), data.get("published_level"), year
        ),
        "value_errors": [error for field in form for error in field.errors],
    }


@login_required
@require_POST
def assessment_preview(request, year):
    """The live result panel (HTMX): recomputed on the server as scores are typed."""
    require_admin(request)
    fiscal_year = _year_for_entry(year)
    return render(request, "assessments/_live_result.html", _live(fiscal_year, request.POST))


@login_required
def findings(request, pk):
    """The strengths and points to improve of an assessment, under each indicator."""
    assessment = get_assessment_for_admin(request, pk)
    rows = assessment.findings.select_related("indicator")
    by_indicator = {i.number: [] for i in assessment.fiscal_year.indicators.all()}
    for finding in rows:
        by_indicator.setdefault(finding.indicator.number, []).append(finding)
    sections = [(i, by_indicator[i.number]) for i in assessment.fiscal_year.indicators.all()]
    return render(request, "assessments/findings.html", {
        "assessment": assessment, "sections": sections, "oit_note": oit_list_note(assessment.fiscal_year),
        "can_change": not assessment.is_past,
    })


@login_required
def analysis_paste(request, pk):
    """The whole analysis pasted at once: "อ่าน" previews every point read and every line not
    read, "บันทึก" saves them all (the text travels back in the form), in one transaction."""
    assessment = get_assessment_for_admin(request, pk, for_change=True)
    form = AnalysisForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = form.read(assessment.fiscal_year)
        if request.POST.get("action") == "save" and form.is_valid():
            created = services.analysis_save(assessment=assessment, analysis=result)
            messages.success(request, _("บันทึกผลการวิเคราะห์ %(count)s ประเด็นแล้ว") % {"count": len(created)})
            return redirect("assessment_findings", pk=assessment.pk)
    indicators = {i.number: i for i in assessment.fiscal_year.indicators.all()}
    return render(request, "assessments/analysis.html", {
        "assessment": assessment,
        "form": form,
        "result": result if form.is_valid() else None,
        "points": [(indicators[p.indicator], p) for p in result.points] if result else [],
        "skipped": [(line, describe_skipped(line)) for line in result.skipped] if result else [],
        "headings": [result.headings[n] for n in sorted(result.headings)] if result else [],
        "differences": services.score_differences(result, assessment) if result else [],
        "fills_scores": services.fills_scores(result, assessment) if result else False,
        "replaced": assessment.findings.count() if result else 0,
    })


@login_required
def finding_add(request, pk, number):
    assessment = get_assessment_for_admin(request, pk, for_change=True)
    indicator = get_object_or_404(assessment.fiscal_year.indicators, number=number)
    form = FindingForm(request.POST or None, year=assessment.fiscal_year, initial={"indicator": indicator})
    if request.method == "POST" and form.is_valid():
        finding = form.save(commit=False)
        finding.assessment = assessment
        with transaction.atomic():
            assessment.lock()  # two findings added at once must not take the same position
            last = assessment.findings.aggregate(position=Max("position"))["position"]
            finding.position = (last or 0) + 1
            finding.save()
        messages.success(request, _("เพิ่มผลการวิเคราะห์แล้ว"))
        return redirect("assessment_findings", pk=assessment.pk)
    return render(request, "assessments/finding_form.html", {
        "assessment": assessment, "form": form, "oit_note": oit_list_note(assessment.fiscal_year),
    })


@login_required
def finding_edit(request, pk, finding_pk):
    assessment = get_assessment_for_admin(request, pk, for_change=True)
    finding = get_object_or_404(assessment.findings, pk=finding_pk)
    form = FindingForm(request.POST or None, instance=finding, year=assessment.fiscal_year)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("แก้ไขผลการวิเคราะห์แล้ว"))
        return redirect("assessment_findings", pk=assessment.pk)
    return render(request, "assessments/finding_form.html", {
        "assessment": assessment, "form": form, "oit_note": oit_list_note(assessment.fiscal_year),
    })


@login_required
@require_POST
def finding_delete(request, pk, finding_pk):
    assessment = get_assessment_for_admin(request, pk, for_change=True)
    finding = get_object_or_404(assessment.findings, pk=finding_pk)
    finding.delete()
    messages.success(request, _("ลบผลการวิเคราะห์แล้ว"))
    return redirect("assessment_findings", pk=assessment.pk)


@login_required
def check(request, pk):
    """The data-quality check of an assessment and its plan (admins and executives read it)."""
    assessment = get_assessment_for_executive_or_admin(request, pk)
    return _check_page(request, assessment)


def _check_page(request, assessment, failed=None):
    """The check page; `failed` is a review form that did not validate, shown at its item."""
    issues = check_assessment(assessment)
    reviews = {r.key: r for r in assessment.check_reviews.select_related("reviewed_by")}
    keys = {issue.key for issue in issues}

    def items(part):
        return [
            (issue, reviews.get(issue.key),
             failed if failed is not None and failed.data.get("key") == issue.key
             else ReviewForm(keys=keys, initial={"key": issue.key}))
            for issue in part
        ]

    errors, todos = errors_and_todos(issues)
    return render(request, "assessments/check.html", {
        "assessment": assessment,
        "sections": [
            ("errors", _("ข้อผิดพลาดในเอกสาร"), items(errors),
             sum(1 for issue in errors if issue.key not in reviews)),
            ("todos", _("งานที่ยังต้องทำในระบบ"), items(todos),
             sum(1 for issue in todos if issue.key not in reviews)),
        ],
        "total": len(issues),
        "open_count": sum(1 for issue in issues if issue.key not in reviews),
        "oit_note": oit_list_note(assessment.fiscal_year),
        "failed": failed,
        "can_review": get_membership(request).is_admin and not assessment.is_past,
    })


@login_required
@require_POST
def check_review(request, pk):
    """Mark an item of the check as reviewed with a comment (or change the comment)."""
    assessment = get_assessment_for_admin(request, pk, for_change=True)
    form = ReviewForm(request.POST, keys={issue.key for issue in check_assessment(assessment)})
    if not form.is_valid():
        return _check_page(request, assessment, failed=form)
    CheckReview.objects.update_or_create(
        assessment=assessment, key=form.cleaned_data["key"],
        defaults={"comment": form.cleaned_data["comment"], "reviewed_by": request.user},
    )
    messages.success(request, _("บันทึกการตรวจทานแล้ว"))
    return redirect("assessment_check", pk=assessment.pk)


@login_required
@require_POST
def check_unreview(request, pk):
    """Take a review mark off, so the item counts as unreviewed again."""
    assessment = get_assessment_for_admin(request, pk, for_change=True)
    form = ReviewKeyForm(request.POST)
    deleted = 0
    if form.is_valid():
        deleted, _rows = assessment.check_reviews.filter(key=form.cleaned_data["key"]).delete()
    if deleted:
        messages.success(request, _("ยกเลิกเครื่องหมายตรวจทานแล้ว"))
    else:
        messages.error(request, _("ไม่พบเครื่องหมายตรวจทานนี้ อาจถูกยกเลิกไปแล้ว"))
    return redirect("assessment_check", pk=assessment.pk)
