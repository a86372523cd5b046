"""The improvement plan: the table of one fiscal year, in-place editing, tracking and history.

Every view asks accounts.access for the row and the user's rights first. A row edited in place
is a pair of HTMX partials (the row, the row as a form); without HTMX the same views answer
with whole pages, so every action also works as plain links and forms.
"""

import secrets
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_membership, require_admin
from assessments.access import assessments_for_user, get_assessment_for_admin
from assessments.models import Assessment, ChangeRefused, FiscalYear, Indicator, Unit
from audit.log import record
from audit.models import Entry
from jobs.access import get_job_for_user
from jobs.models import Job
from jobs.tasks import start_job
from lib import thai
from lib.http import private_download
from lib.uploads import PendingUpload

from . import drafts, imports
from .access import (
    can_change_measure,
    changeable_measures,
    get_binned_for_admin,
    get_measure_for_user,
    get_note_for_user,
    get_plan_for_new_rows,
    get_plan_for_step,
    may_add_measures,
    may_take_step,
    measures_for_user,
    plans_for_user,
)
from .bin import (
    CannotRestore,
    bin_empty,
    contents,
    evidence_bin,
    evidence_restore,
    measure_bin,
    measure_restore,
    note_bin,
    note_restore,
)
from .forms import (
    ApprovalForm,
    DeleteForm,
    DraftFormSet,
    ImportConfirmForm,
    MeasureForm,
    MoveForm,
    PlanFilterForm,
    PlanUploadForm,
    ProgressNoteForm,
    StartYearForm,
    StepForm,
    TrackingForm,
)
from .history import change_log, display_value, origins
from .jobs import IMPORT_COMMIT, IMPORT_PREVIEW
from .models import Measure, Plan, PlanEvent, WrongState
from .notices import plan_step_taken, units_assigned
from .table import RowWriter
from .services import year_start


# An uploaded plan waits between its preview and its confirmation (see lib/uploads.py).
PLAN_UPLOADS = PendingUpload("pending-imports", "plan_import")


def plan_url(year, query="", pk=None):
    url = reverse("measures:plan", args=[year])
    if query:
        url += "?" + QueryDict(query).urlencode()
    if pk:
        url += f"#measure-{pk}"
    return url


@require_safe
@login_required
def plan_current(request):
    """The newest plan of the user's organisation (a year just started, its rows still to
    come, included), keeping the filters; without one, this fiscal year's, or the newest year
    the reference data knows when this one is not there yet."""
    year = plans_for_user(request).aggregate(year=Max("fiscal_year"))["year"]
    if year is None:
        this_year = thai.fiscal_year_of(date.today())
        known = FiscalYear.objects.filter(year__lte=this_year).aggregate(year=Max("year"))["year"]
        year = known or this_year
    return redirect(plan_url(year, request.GET.urlencode()))


@require_safe
@login_required
def plan(request, year):
    membership = get_membership(request)
    # Every plan of the organisation in one query (the years' menu), with the organisation's
    # newest year (whether a plan is past) counted in SQL.
    plans = list(
        plans_for_user(request).select_related("fiscal_year", "assessment")
        .annotate(newest=Max("assessment__organisation__assessments__fiscal_year"))
        .order_by("fiscal_year")
    )
    plan = next((p for p in plans if p.fiscal_year_id == year), None)
    if plan is not None:
        plan.newest_year = plan.newest
        fiscal_year, answered = plan.fiscal_year, plan.assessment
    else:
        fiscal_year = get_object_or_404(FiscalYear, year=year)
        # A plan answers the previous year's assessment, and its rows are filed under that
        # year's indicators (the seed's FY2569 plan answers the 2568 results).
        answered = assessments_for_user(request).filter(fiscal_year_id=year - 1).first()
    form = PlanFilterForm(
        request.GET,
        # One year's indicators and one organisation's units, each in their models' order
        # without the join that ordering by the year or by the organisation would cost.
        indicators=Indicator.objects.filter(fiscal_year_id=year - 1).order_by("number"),
        units=Unit.objects.filter(organisation_id=membership.organisation_id).order_by("position", "name"),
    )
    rows = changeable_measures(request) if form.is_valid() and form.cleaned_data["mine"] else measures_for_user(request)
    # Read once, here: the template counts the rows, groups them and shows them.
    rows = list(form.filter(rows.filter(fiscal_year=fiscal_year)).in_plan_order().for_table())
    years = [p.fiscal_year_id for p in plans]
    steps = [kind for kind in plan.next_steps() if may_take_step(membership, kind)] if plan else []
    # A plan with no rows is not offered to the executive (the model refuses it too).
    if PlanEvent.Kind.SUBMITTED in steps and not (plan.measures.exists() if form.is_filtered else rows):
        steps.remove(PlanEvent.Kind.SUBMITTED)
    if plan is not None:
        writer = RowWriter(request, plan, membership, query=request.GET.urlencode())
        for row in rows:
            row.html = writer.row(row)
    return render(
        request,
        "measures/plan.html",
        {
            "fiscal_year": fiscal_year,
            "answered": answered,
            "plan": plan,
            # The shown plan's record, in one query: in time order, as PlanEvent's ordering
            # puts them, without the joins its ordering by plan costs.
            "events": list(plan.events.select_related("by").order_by("at", "id")) if plan else [],
            "steps": steps,
            "form": form,
            "measures": rows,
            "years": years,
            # A year's first row makes its plan: until then ask the plan it would make.
            "can_add": (answered is not None and may_add_measures(membership)
                        and (plan or Plan(assessment=answered, fiscal_year=fiscal_year)).content_open),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def add(request, year):
    membership, plan = get_plan_for_new_rows(request, year)
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    measure = Measure(assessment=plan.assessment, fiscal_year=fiscal_year)
    form = MeasureForm(request.POST or None, instance=measure, membership=membership)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                if plan._state.adding:  # the year's first row makes its plan
                    plan = Plan.objects.of_assessment(plan.assessment)
                Plan.objects.lock(plan.pk, Plan.CONTENT)
                # Binned rows keep their place, to come back to it when restored.
                last = Measure.all_objects.filter(plan=plan).aggregate(p=Max("position"))["p"]
                measure.plan, measure.position = plan, (last or 0) + 1
                form.save()
                # The creation record cannot hold the units (they are set after the row
                # exists), so a second record does: history then shows who assigned them.
                measure.save(update_fields=["updated_at"])
                units_assigned(measure, list(measure.units.all()), by=request.user)
                plan.refresh_progress()
            messages.success(request, _("เพิ่มแถวในแผนแล้ว"))
            return redirect(plan_url(year, pk=measure.pk))
        return render(request, "measures/add.html", {"form": form, "fiscal_year": fiscal_year}, status=422)
    return render(request, "measures/add.html", {"form": form, "fiscal_year": fiscal_year})


@require_safe
@login_required
def row(request, pk):
    """The row as the table shows it (what Cancel puts back)."""
    measure = get_measure_for_user(request, pk)
    return HttpResponse(RowWriter(request, measure.plan, get_membership(request)).row(measure))


def _row_form(measure, membership, data=None):
    """The form for a row: all of it, or only its tracking when its plan is locked (approved)."""
    refusal = measure.plan.refusal(Plan.CONTENT)
    if refusal:
        return TrackingForm(data, instance=measure, membership=membership, refusal=refusal)
    return MeasureForm(data, instance=measure, membership=membership)


@login_required
def edit(request, pk):
    """The row as a form: in place for HTMX, a page otherwise. A stale version is refused (409);
    a change the plan does not accept now, in place with the reason (423)."""
    membership = get_membership(request)
    measure = get_measure_for_user(request, pk, for_change=True, tracking=True)
    template = "measures/_row_form.html" if request.htmx else "measures/edit.html"
    context = {"m": measure, "plan": measure.plan}
    if request.method != "POST":
        return render(request, template, {**context, "form": _row_form(measure, membership)})

    form = _row_form(measure, membership, request.POST)
    if not form.is_valid():
        status = 423 if form.has_error(NON_FIELD_ERRORS, "locked") else 422
        return render(request, template, {**context, "form": form}, status=status)
    had_units = {unit.pk for unit in measure.units.all()}
    try:
        saved = measure.save_if_current(
            form.cleaned_data["version"], form.edited_fields, units=form.cleaned_data.get("units")
        )
    except ChangeRefused as refusal:  # the plan was approved while the form was being filled in
        form.add_error(None, ValidationError(str(refusal), code="locked"))
        return render(request, template, {**context, "form": form}, status=423)
    if not saved:
        return _refuse_stale(request, pk, form, template, membership)
    if form.cleaned_data.get("units") is not None:
        units_assigned(measure, [u for u in form.cleaned_data["units"] if u.pk not in had_units], by=request.user)
    if request.htmx:
        measure = get_measure_for_user(request, pk)
        return HttpResponse(RowWriter(request, measure.plan, membership).row(measure, saved=True))
    messages.success(request, _("บันทึกแล้ว"))
    return redirect(plan_url(measure.fiscal_year_id, pk=pk))


def _refuse_stale(request, pk, submitted, template, membership):
    """Someone saved the row after this form was read: show the current values and, beside
    them, what this user had typed, so that nothing is overwritten without being seen."""
    current = get_measure_for_user(request, pk, for_change=True, tracking=True)
    differences = []
    for name in submitted.edited_fields:
        yours, now = submitted.cleaned_data.get(name), getattr(current, name)
        if yours != now:
            differences.append(
                (submitted.fields[name].label, display_value(name, now), display_value(name, yours))
            )
    form = _row_form(current, membership)
    context = {"m": current, "plan": current.plan, "form": form, "conflict": differences}
    return render(request, template, context, status=409)


@login_required
def delete(request, pk):
    """Move the row to the bin after a confirmation page; refused (409) if the row changed since
    it was shown."""
    measure = get_measure_for_user(request, pk, for_change=True)
    form = DeleteForm(request.POST or None, initial={"version": measure.version})
    if request.method == "POST":
        if form.is_valid() and measure_bin(measure, version=form.cleaned_data["version"], user=request.user):
            messages.success(request, _("ย้ายแถวไปถังขยะแล้ว ผู้ดูแลระบบของหน่วยงานกู้คืนได้"))
            return redirect(plan_url(measure.fiscal_year_id))
        measure = get_measure_for_user(request, pk, for_change=True)
        form = DeleteForm(initial={"version": measure.version})
        context = {"m": measure, "form": form, "stale": True}
        return render(request, "measures/delete.html", context, status=409)
    return render(request, "measures/delete.html", {"m": measure, "form": form})


@require_POST
@login_required
def move(request, pk):
    """Move the row up or down among the rows of its indicator."""
    measure = get_measure_for_user(request, pk, for_change=True)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ย้ายแถวไม่ได้: คำสั่งไม่ถูกต้อง"))
    elif not measure.move(form.cleaned_data["direction"]):
        messages.info(request, _("แถวนี้อยู่ลำดับแรกหรือลำดับสุดท้ายของตัวชี้วัดแล้ว"))
    return redirect(plan_url(measure.fiscal_year_id, form.data.get("query", ""), pk=pk))


@require_safe
@login_required
def detail(request, pk):
    measure = get_measure_for_user(request, pk)
    return _render_detail(request, measure, ProgressNoteForm(initial={"date": date.today()}))


def _render_detail(request, measure, note_form, status=200):
    notes = measure.notes.select_related("author")
    can_change = can_change_measure(get_membership(request), measure)
    context = {
        "m": measure, "plan": measure.plan, "notes": notes, "note_form": note_form, "can_change": can_change,
        # Where the row came from and where it went: its notes stay with the row they were written on.
        "origin": measure.carried_from_id and Measure.all_objects.select_related("plan").get(pk=measure.carried_from_id),
        "copies": measure.carried_to.select_related("plan"),
    }
    return render(request, "measures/detail.html", context, status=status)


@require_POST
@login_required
def add_note(request, pk):
    """A progress note with its evidence; the file is checked by content (see measures.evidence).
    Notes are tracking: an approved plan takes them, a past year's does not."""
    measure = get_measure_for_user(request, pk, for_change=True, tracking=True)
    form = ProgressNoteForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, measure, form, status=422)
    form.save(measure=measure, author=request.user)
    messages.success(request, _("บันทึกความก้าวหน้าแล้ว"))
    return redirect(reverse("measures:detail", args=[pk]) + "#notes")


@require_safe
@login_required
def evidence_file(request, pk):
    """An evidence file, only to readers of its row, always as a download of the detected type."""
    note = get_note_for_user(request, pk)
    if not note.file:
        raise Http404(_("บันทึกนี้ไม่มีไฟล์แนบ"))
    response = private_download(note.file, note.file_name, note.file_type)
    record(Entry.Kind.EVIDENCE, note, data={"file_name": note.file_name})
    return response


@login_required
def delete_note(request, pk):
    """Move a progress note, with its file, to the bin after a confirmation page: whoever may
    change its row."""
    note = get_note_for_user(request, pk, for_change=True)
    if request.method == "POST":
        note_bin(note, user=request.user)
        messages.success(request, _("ย้ายบันทึกไปถังขยะแล้ว ผู้ดูแลระบบของหน่วยงานกู้คืนได้"))
        return redirect(reverse("measures:detail", args=[note.measure_id]) + "#notes")
    return render(request, "measures/delete_note.html", {"note": note, "m": note.measure})


@login_required
def delete_file(request, pk):
    """Move a note's evidence file to the bin after a confirmation page; the note stays."""
    note = get_note_for_user(request, pk, for_change=True)
    if not note.file:
        raise Http404(_("บันทึกนี้ไม่มีไฟล์แนบ"))
    if request.method == "POST":
        evidence_bin(note, user=request.user)
        messages.success(request, _("ย้ายไฟล์หลักฐานไปถังขยะแล้ว ผู้ดูแลระบบของหน่วยงานกู้คืนได้"))
        return redirect(reverse("measures:detail", args=[note.measure_id]) + "#notes")
    return render(request, "measures/delete_file.html", {"note": note, "m": note.measure})


@require_safe
@login_required
def bin_page(request):
    """What the organisation's people deleted, for its admins to restore or remove for good."""
    membership = require_admin(request)
    rows, notes, files = contents(membership.organisation_id)
    return render(request, "measures/bin.html", {"rows": rows, "notes": notes, "files": files})


RESTORERS = {"measure": measure_restore, "note": note_restore, "file": evidence_restore}


@require_POST
@login_required
def restore(request, kind, pk):
    """Put one item of the bin back where it was: admins only."""
    item = get_binned_for_admin(request, kind, pk)
    try:
        RESTORERS[kind](item)
    except CannotRestore as refusal:
        messages.error(request, str(refusal))
        return redirect("measures:bin")
    done = {
        "measure": _("กู้คืนแถวพร้อมบันทึกและไฟล์ของแถวแล้ว"),
        "note": _("กู้คืนบันทึกความก้าวหน้าแล้ว"),
        "file": _("กู้คืนไฟล์หลักฐานแล้ว"),
    }
    messages.success(request, done[kind])
    return redirect("measures:bin")


@login_required
def empty_bin(request):
    """Delete everything in the bin for good, after a confirmation page: admins only."""
    membership = require_admin(request)
    rows, notes, files = contents(membership.organisation_id)
    if request.method == "POST":
        if not (rows or notes or files):
            messages.info(request, _("ถังขยะว่างอยู่แล้ว"))
        else:
            rows, notes, files = bin_empty(membership.organisation, user=request.user)
            messages.success(request, _(
                "ล้างถังขยะแล้ว: ลบถาวร %(rows)s แถว %(notes)s บันทึก %(files)s ไฟล์"
            ) % {"rows": rows, "notes": notes, "files": files})
        return redirect("measures:bin")
    return render(request, "measures/empty_bin.html", {"rows": rows, "notes": notes, "files": files})


@require_safe
@login_required
def history(request, pk):
    """The row's changes, newest first, followed by those of the rows it was carried over from."""
    measure = get_measure_for_user(request, pk)
    earlier = [(origin, change_log(origin)) for origin in origins(measure)]
    return render(request, "measures/history.html", {"m": measure, "entries": change_log(measure), "earlier": earlier})


@login_required
def start_year(request):
    """Start a fiscal year: its assessment (scores later), the next year's plan as a draft and
    the unfinished rows of the previous plan carried over as the admin ticks them."""
    membership = require_admin(request)
    organisation = membership.organisation
    newest = Assessment.objects.filter(organisation=organisation).newest_year()
    previous = plans_for_user(request).order_by("-fiscal_year_id").first()
    candidates = (
        previous.measures.unfinished().for_table().order_by("block", "position", "id")
        if previous else Measure.objects.none()
    )
    candidates = list(candidates)
    form = StartYearForm(
        request.POST if request.method == "POST" else None, organisation=organisation, newest=newest,
        candidates=Measure.objects.filter(pk__in=[m.pk for m in candidates]),
        initial={"year": proposed_year(newest, previous), "carry": [m.pk for m in candidates]},
    )
    if request.method == "POST" and form.is_valid():
        chosen = {m.pk for m in form.cleaned_data["carry"]}
        try:
            plan = year_start(
                organisation=organisation, year=form.cleaned_data["year"], by=request.user,
                carry=[m for m in candidates if m.pk in chosen], keep_tracking=form.keep_tracking,
            )
        except IntegrityError:  # another admin started the same year a moment ago
            form.add_error("year", ValidationError(
                _("ปีงบประมาณนี้เพิ่งถูกเริ่มโดยผู้อื่น กรุณาโหลดหน้าใหม่"), code="started"))
        else:
            messages.success(request, _(
                "เริ่มปีงบประมาณ %(year)s แล้ว: สร้างผลการประเมินปี %(year)s (ยังไม่มีคะแนน กรอกหรือวางได้ที่หน้าบันทึกผล) "
                "และแผนปี %(next)s (ร่าง) ยกมาตรการที่ยังไม่เสร็จมา %(count)s แถว"
            ) % {"year": plan.assessment.fiscal_year_id, "next": plan.fiscal_year_id, "count": len(chosen)})
            return redirect(plan_url(plan.fiscal_year_id))
    chosen = {int(value) for value in form["carry"].value() or [] if str(value).isdigit()}
    return render(request, "measures/start_year.html", {
        "form": form, "newest": newest, "previous": previous, "candidates": candidates, "chosen": chosen,
        "proposed": form.initial["year"],
    }, status=422 if form.is_bound else 200)


def proposed_year(newest, previous):
    """The year to start: the newest result's when no plan answers it yet (its scores entered
    before the year was started), the one after it once one does; without any result, the
    newest year whose results the reference data knows (never a year whose results cannot be
    out yet)."""
    if newest is not None:
        answered = previous.fiscal_year_id - 1 if previous else None  # a plan answers the year before it
        return newest if answered != newest else newest + 1
    this_year = thai.fiscal_year_of(timezone.localdate())
    known = FiscalYear.objects.filter(indicators__isnull=False, year__lt=this_year).aggregate(year=Max("year"))
    return known["year"] or this_year


STEP_DONE = {
    PlanEvent.Kind.SUBMITTED: gettext_lazy("เสนอแผนปี %(year)s ต่อผู้บริหารแล้ว"),
    PlanEvent.Kind.RETURNED: gettext_lazy("ส่งแผนปี %(year)s กลับไปแก้ไขแล้ว"),
    PlanEvent.Kind.APPROVED: gettext_lazy("อนุมัติแผนปี %(year)s แล้ว"),
    PlanEvent.Kind.REPORTED: gettext_lazy("บันทึกว่ารายงานผลการดำเนินงานตามแผนปี %(year)s แล้ว"),
    PlanEvent.Kind.REOPENED: gettext_lazy("เปิดแผนปี %(year)s เพื่อแก้ไขแล้ว ต้องเสนอผู้บริหารอนุมัติใหม่"),
}


def _approval_initial(request):
    """The signer's name from their account, and the position they typed when they last signed."""
    last = PlanEvent.objects.filter(by=request.user, kind=PlanEvent.Kind.APPROVED).order_by("-at").first()
    return {
        "signer_name": request.user.get_full_name(),
        "signer_position": last.signer_position if last else "",
        "signed_on": timezone.localdate(),
    }


@login_required
def plan_step(request, year, kind):
    """One step of the plan's cycle (submit, send back, approve, mark reported, reopen): a page
    with its form, then POST. The step the plan's state does not allow is refused (409)."""
    plan = get_plan_for_step(request, year, kind)
    data = request.POST if request.method == "POST" else None  # an empty POST is a form too
    if kind == PlanEvent.Kind.APPROVED:
        form = ApprovalForm(data, initial=_approval_initial(request), organisation=get_membership(request).organisation)
    else:
        form = StepForm(data, kind=kind)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            event = plan.take_step(kind, by=request.user, **form.step_data())
        except WrongState as refusal:
            form.add_error(None, ValidationError(str(refusal), code="wrong_state"))
            status = 409
        else:
            plan_step_taken(plan, event)
            messages.success(request, STEP_DONE[kind] % {"year": year})
            return redirect(plan_url(year))
    elif request.method == "POST":
        status = 422
    allowed = kind in plan.next_steps()
    if not allowed and status == 200:
        status = 409
    return render(request, "measures/plan_step.html", {
        "plan": plan, "kind": kind, "step": PlanEvent.Kind(kind), "form": form, "allowed": allowed,
        "rows": plan.measures.count(),
    }, status=status)


# The plan's import from an .xlsx file (the reports page links to it): a preview, then the
# confirmation; a large file is checked by a job, confirmed from the job's page.

@login_required
def import_plan(request, pk):
    """Upload a plan file and see what it would do; nothing is written here."""
    assessment = get_assessment_for_admin(request, pk)
    preview = token = None
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["file"].size > settings.JOBS_IMPORT_MIN_BYTES:
            return redirect(_start_import_preview(request, assessment, form.cleaned_data["file"]))
        data = form.cleaned_data["file"].read()
        preview = imports.read_plan(data, assessment)
        PLAN_UPLOADS.discard(request)
        if preview.can_apply:
            token = PLAN_UPLOADS.keep(request, data, ".xlsx", assessment=assessment.pk, versions=preview.versions)
    return render(request, "reports/import.html", {
        "assessment": assessment, "form": form, "preview": preview,
        "confirm_form": ImportConfirmForm(initial={"token": token}) if token else None,
        "job_min_bytes": settings.JOBS_IMPORT_MIN_BYTES,
    })


def _start_import_preview(request, assessment, file):
    """A large file is checked by a job, whose page shows the same preview and the confirmation
    (reports:import_job_confirm): the file waits with the job, not in the session."""
    PLAN_UPLOADS.discard(request)
    upload = default_storage.save(f"jobs/uploads/{secrets.token_urlsafe(16)}.xlsx", file)
    return start_job(
        kind=IMPORT_PREVIEW, user=request.user, organisation=assessment.organisation,
        assessment=assessment, upload=upload,
    )


@require_POST
@login_required
def import_confirm(request, pk):
    """Write the previewed file: all of it in one transaction, or nothing."""
    assessment = get_assessment_for_admin(request, pk)
    form = ImportConfirmForm(request.POST)
    taken = form.is_valid() and PLAN_UPLOADS.take(request, form.cleaned_data["token"], assessment=assessment.pk)
    if not taken:
        messages.error(request, _("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดไฟล์อีกครั้ง"))
        return redirect("reports:import", assessment.pk)
    data, pending = taken
    preview = imports.read_plan(data, assessment)
    try:
        if not preview.can_apply or preview.versions != pending["versions"]:
            raise imports.StaleImport
        added, changed = imports.apply_plan(preview, assessment, request.user)
    except imports.StaleImport:
        messages.error(request, _(
            "แผนถูกแก้ไขหลังจากที่ตรวจสอบไฟล์ จึงยังไม่ได้บันทึกสิ่งใด กรุณาอัปโหลดไฟล์อีกครั้งเพื่อดูตัวอย่างใหม่"
        ))
        return redirect("reports:import", assessment.pk)
    messages.success(request, _("นำเข้าแผนแล้ว: เพิ่ม %(added)s มาตรการ แก้ไข %(changed)s มาตรการ") % {
        "added": added, "changed": changed})
    return redirect("reports:index")


@require_POST
@login_required
def import_job_confirm(request, pk):
    """Confirm a previewed plan file: starts the job that writes it (once per preview)."""
    preview = get_job_for_user(request, pk)
    if preview.kind != IMPORT_PREVIEW:
        raise Http404
    assessment = get_assessment_for_admin(request, preview.assessment_id)
    ready = preview.state == Job.State.DONE and preview.outcome_params.get("can_apply")
    with transaction.atomic():
        # Taking the file off the preview makes the confirmation single-use.
        if not (ready and Job.objects.filter(pk=preview.pk, upload=preview.upload.name).exclude(upload="")
                .update(upload="")):
            messages.error(request, _("ไม่พบไฟล์ที่ตรวจสอบไว้ กรุณาอัปโหลดไฟล์อีกครั้ง"))
            return redirect("reports:import", assessment.pk)
        job = start_job(
            kind=IMPORT_COMMIT, user=request.user, organisation=assessment.organisation,
            assessment=assessment, upload=preview.upload.name,
            params={"versions": preview.outcome_params["versions"], "preview": preview.pk},
        )
    return redirect(job)


@login_required
def draft(request, pk):
    """Draft measures for next year's plan from the points to improve; accept some into it."""
    assessment = get_assessment_for_admin(request, pk)
    plan_year = FiscalYear.objects.filter(year=assessment.fiscal_year_id + 1).first()
    if plan_year is None:
        return render(request, "measures/draft.html", {"assessment": assessment, "plan_year": None})
    # Drafts go into the plan made from this year's results: not once it is approved, nor in a past year.
    plan = Plan.objects.filter(assessment=assessment).first() or Plan(assessment=assessment, fiscal_year=plan_year)
    refusal = plan.refusal(Plan.CONTENT)
    if refusal and request.method == "POST":
        raise ChangeRefused(refusal)
    proposals = drafts.propose(assessment, plan_year)
    form_kwargs = {
        "indicators": assessment.fiscal_year.indicators.all(),
        "units": assessment.organisation.units.active(),
    }
    formset = DraftFormSet(
        request.POST or None, initial=[d.initial for d in proposals], form_kwargs=form_kwargs
    )
    if request.method == "POST" and formset.is_valid():
        accepted = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("accept")]
        in_plan = drafts.planned_codes(assessment, plan_year)
        for form in formset.forms:
            if form.cleaned_data.get("accept") and form.cleaned_data["code"] in in_plan - {""}:
                form.add_error("accept", ValidationError(
                    _("มาตรการของข้อ %(code)s อยู่ในแผนแล้ว") % {"code": form.cleaned_data["code"]},
                    code="already_in_plan",
                ))
        if not any(form.errors for form in formset.forms):
            created = drafts.drafts_accept(assessment=assessment, plan_year=plan_year, accepted=accepted)
            messages.success(request, _("เพิ่ม %(count)s มาตรการเข้าแผนปี %(year)s แล้ว") % {
                "count": len(created), "year": plan_year.year})
            return redirect("assessment_check", pk=assessment.pk)
    return render(request, "measures/draft.html", {
        "assessment": assessment,
        "plan_year": plan_year,
        "formset": formset,
        "cards": [(proposals[i] if i < len(proposals) else None, form) for i, form in enumerate(formset.forms)],
        "refusal": refusal,
    })
