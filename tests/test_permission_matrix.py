"""The permission matrix: every URL of the project, every persona, the expected answer.

Personas (tests/conftest.py, plus an area office):
  anonymous    not signed in
  staff        staff of สำนักปลัด, the unit of the plan row used below
  other_staff  staff of กองคลัง in the same organisation (another unit)
  executive    executive of the organisation
  org_admin    admin of the organisation
  outsider     admin of another organisation
  outsider_staff  staff of that other organisation
  area_office  a province office (OversightMembership), with no organisation membership
  platform     platform staff: a Django superuser who belongs to no organisation

Answers: 200, 403 (the role may not), 404 (another organisation's object: its existence is not
confirmed), 405 (wrong method), LOGIN (302 to the sign-in page), DONE (302 elsewhere: the
change was made and the browser is sent on).

Each change endpoint is sent valid data, so that an allowed persona's change goes through; a
refused persona is refused before the input is read (the same answer for an empty form) and
nothing in the database changes. Each request runs in a savepoint that is rolled back, so every
persona meets the same data.

Left out of the walk: `admin/` (the Django admin: platform staff only, its own permission system,
every page tested in test_admin_pages.py; its index is in ADMIN_SITE below, for every persona)
and `i18n/` (Django's language switch: no data, the same for everyone). A URL added anywhere else
fails `test_every_url_of_the_project_is_in_the_matrix` until it is listed here.
"""

import io
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import Workbook

from accounts.invitations import invitation_tokens
from accounts.models import Membership
from accounts.services import NewPerson, people_create
from measures import drafts
from assessments.checks import check_assessment
from assessments.models import Assessment, CheckReview, Finding, FiscalYear, IndicatorScore, Organisation, Unit
from audit.models import Entry
from jobs.models import Job
from measures.models import BinnedEvidence, Measure, Plan, PlanEvent, ProgressNote
from notifications.models import CalendarFeed, LineChannel, Notification, Preference
from oit.models import EvidenceFile as OitFile
from oit.models import Item as OitItem
from oit.models import Link as OitLink
from oit.models import Workspace as OitWorkspace
from oit.services import workspace_start
from oversight.models import OversightMembership

from .bad_input.make_corpus import PDF as VALID_PDF
from .conftest import make_measure, make_user

PERSONAS = ("anonymous", "staff", "other_staff", "executive", "org_admin", "outsider", "outsider_staff",
            "area_office", "platform")
LOGIN, DONE = "LOGIN", "DONE"
REFUSED = {LOGIN, 403, 404, 405}
EXCLUDED_PREFIXES = ("admin/", "i18n/")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def answers(*statuses, platform=None):
    """The answers in the order of PERSONAS. Platform staff get what the area office gets unless
    `platform` says otherwise: neither belongs to an organisation."""
    assert len(statuses) == len(PERSONAS) - 1
    return dict(zip(PERSONAS, statuses)) | {"platform": statuses[-1] if platform is None else platform}


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


# The usual shapes, in the order of PERSONAS.
MEMBERS = answers(LOGIN, 200, 200, 200, 200, 404, 404, 403)  # an object every member of its organisation reads
OWN_ORGANISATION = answers(LOGIN, 200, 200, 200, 200, 200, 200, 403)  # a page about the reader's own organisation
ADMINS = answers(LOGIN, 403, 403, 403, 200, 404, 404, 403)  # admins of the object's organisation only
ADMINS_CHANGE = answers(LOGIN, 403, 403, 403, DONE, 404, 404, 403)
ROW_EDITORS = answers(LOGIN, 200, 403, 403, 200, 404, 404, 403)  # staff of the row's unit and admins
ROW_EDITORS_CHANGE = answers(LOGIN, DONE, 403, 403, DONE, 404, 404, 403)
POST_ONLY = everyone(405)  # @require_POST outermost: the method is checked first
POST_ONLY_SIGNED_IN = answers(LOGIN, 405, 405, 405, 405, 405, 405, 405)  # @login_required outermost
# A job the organisation's admin asked for: its asker and the organisation's admins only.
JOB = answers(LOGIN, 403, 403, 403, 200, 404, 404, 404)
JOB_CHANGE = answers(LOGIN, 403, 403, 403, DONE, 404, 404, 404)
OWN_ADMIN_PAGE = answers(LOGIN, 403, 403, 403, 200, 200, 403, 403)  # an admin's page about their own organisation
OWN_ADMIN_CHANGE = answers(LOGIN, 403, 403, 403, DONE, DONE, 403, 403)
ONBOARDERS = answers(LOGIN, 403, 403, 403, 403, 403, 403, 200, platform=200)  # area offices and platform staff
ONBOARDERS_CHANGE = answers(LOGIN, 403, 403, 403, 403, 403, 403, DONE, platform=DONE)


@dataclass
class Url:
    """How to call one URL name and what each persona gets."""

    args: object = lambda w: []
    get: dict = None
    post: dict = None
    data: object = lambda w, persona: {}
    files: object = None
    methods: list = field(default_factory=list)
    prepare: object = lambda w: None  # puts the world in the state the URL acts on (once per URL)


def measure_data(w, persona):
    m = w.measure
    return {
        "indicator": m.indicator_id, "indicator_label": m.indicator_label, "analysis": "",
        "activity": "มาตรการที่แก้แล้ว", "method": "", "period": "", "responsible": "",
        "status": "in_progress", "progress": "10", "start_date": "", "end_date": "",
        "version": m.version,
        "units": [unit.pk for unit in w.units_of(persona)],
    }


def draft_data(w, persona):
    """The draft page's forms as proposed, all accepted (for every unit, as a staff member's units
    would not be the admin's to choose here)."""
    proposals = drafts.propose(w.assessment, FiscalYear.objects.get(year=2569))
    data = {"form-TOTAL_FORMS": len(proposals), "form-INITIAL_FORMS": len(proposals)}
    for index, proposal in enumerate(proposals):
        for name, value in proposal.initial.items():
            if value not in (None, False, []):
                data[f"form-{index}-{name}"] = value.pk if hasattr(value, "pk") else value
        data[f"form-{index}-accept"] = "on"
        data[f"form-{index}-for_all_units"] = "on"
    return data


def start_year_data(w, persona):
    """Start 2569, carrying the plan row over where it is the persona's own organisation's."""
    return {"year": "2569", "tracking": "keep", "carry": [w.measure.pk] if persona == "org_admin" else []}


def approval_data(w, persona):
    return {"signer_name": "นายสมชาย ใจดี", "signer_position": "นายกองค์การบริหารส่วนตำบลทดสอบ",
            "signed_on": "2025-10-20", "comment": ""}


def plan_file(w, persona):
    workbook = Workbook()
    workbook.active.append(["ตัวชี้วัด", "มาตรการ"])
    workbook.active.append(["ตัวชี้วัดที่ ๙", "มาตรการจากไฟล์"])
    out = io.BytesIO()
    workbook.save(out)
    return {"file": SimpleUploadedFile("plan.xlsx", out.getvalue())}


def oit_checklist_file(w, persona):
    return {"file": SimpleUploadedFile("oit.csv", "ข้อ,URL\no1,https://www.example.go.th/o1\n".encode())}


def two_factor_code(w, persona):
    """The code the persona's authenticator would show for the device the setup page made."""
    if persona == "anonymous":
        return {"code": "123456"}
    device, _created = TOTPDevice.objects.get_or_create(user=w.users[persona], confirmed=False,
                                                        defaults={"name": "app"})
    return {"code": f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"}


def organisations_file(w, persona):
    """A CSV of one organisation in the area office's province, as a province would type it."""
    text = "ชื่อหน่วยงาน,อำเภอ,จังหวัด,สำนัก/กอง,ชื่อผู้ดูแลระบบ,อีเมลผู้ดูแลระบบ\n" \
           "อบต.ไฟล์ใหม่,ปากช่อง,นครราชสีมา,\"สำนักปลัด, กองคลัง\",นายทดสอบ ไฟล์,file-admin@example.go.th\n"
    return {"file": SimpleUploadedFile("organisations.csv", text.encode())}


def new_organisation(w, persona):
    return {"name": "อบต.ใหม่", "kind": "", "province": "นครราชสีมา", "district": "ปากช่อง",
            "units": "สำนักปลัด\nกองคลัง", "admin_name": "นางผู้ดูแล ใหม่", "admin_email": "new-admin@example.go.th"}


MATRIX = {
    # ita_portal
    "healthz": Url(get=everyone(200)),
    "favicon": Url(get=everyone(301), post=everyone(301)),
    # accounts
    "login": Url(get=everyone(200), post=everyone(200), data=lambda w, p: {"username": "nobody", "password": "x"}),
    "logout": Url(get=everyone(405), post=everyone(LOGIN)),
    "line_channel": Url(get=OWN_ADMIN_PAGE, post=OWN_ADMIN_CHANGE,
                        data=lambda w, p: {"access_token": "token-for-tests", "target_id": "C" + "0" * 32,
                                           "enabled": "on"}),
    "sign_in_log": Url(get=answers(LOGIN, 403, 403, 403, 200, 200, 403, 403)),
    # every signed-in user changes their own password (the area office's test user has none)
    "password_change": Url(get=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200),
                           post=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, 200),
                           data=lambda w, p: {"old_password": "pw-for-tests-2569",
                                              "new_password1": "ทุ่งนาเขียวขจี-2569", "new_password2": "ทุ่งนาเขียวขจี-2569"}),
    # forgot password: open to everyone, the same answer for every address (no e-mail here: the
    # personas' addresses are nobody's); the link is the executive's, moved into the session
    "password_reset": Url(get=everyone(200), post=everyone(DONE),
                          data=lambda w, p: {"email": f"reset-{p}@example.go.th"}),
    "password_reset_done": Url(get=everyone(200)),
    "password_reset_confirm": Url(args=lambda w: w.reset_args, get=everyone(DONE), post=everyone(DONE)),
    "password_reset_complete": Url(get=everyone(200)),
    # two-factor sign-in: every signed-in user's own; nobody here has a device yet
    "two_factor": Url(get=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    "two_factor_setup": Url(get=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200),
                            post=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE), data=two_factor_code),
    "two_factor_verify": Url(get=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE),
                             post=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE),
                             data=lambda w, p: {"code": "123456"}),
    "two_factor_backup_codes": Url(get=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE),
                                   post=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE)),
    "two_factor_disable": Url(get=POST_ONLY_SIGNED_IN, post=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE),
                              data=lambda w, p: {"password": "pw-for-tests-2569"}),
    "two_factor_organisation": Url(get=answers(LOGIN, 403, 403, 403, 200, 200, 403, 403),
                                   post=answers(LOGIN, 403, 403, 403, DONE, DONE, 403, 403),
                                   data=lambda w, p: {"admins_need_two_factor": "on"}),
    "invitation": Url(args=lambda w: w.invitation_args, get=everyone(DONE), post=everyone(DONE)),
    "people": Url(get=OWN_ADMIN_PAGE),
    "person_invite": Url(get=OWN_ADMIN_PAGE, post=OWN_ADMIN_CHANGE,
                         data=lambda w, p: {"name": "ผู้ได้รับเชิญ ใหม่", "email": f"invited-{p}@example.go.th",
                                            "role": "executive"}),
    "person_edit": Url(args=lambda w: [w.person.pk], get=ADMINS, post=ADMINS_CHANGE,
                       data=lambda w, p: {"name": "ชื่อ ใหม่", "email": "renamed@example.go.th", "role": "staff",
                                          "units": [w.palad.pk]}),
    "person_active": Url(args=lambda w: [w.person.pk], get=POST_ONLY, post=ADMINS_CHANGE,
                         data=lambda w, p: {"active": "0"}),
    "person_resend": Url(args=lambda w: [w.pending.pk], get=POST_ONLY, post=ADMINS_CHANGE),
    "units": Url(get=OWN_ADMIN_PAGE, post=OWN_ADMIN_CHANGE, data=lambda w, p: {"name": "กองใหม่"}),
    "unit_edit": Url(args=lambda w: [w.palad.pk], get=ADMINS, post=ADMINS_CHANGE,
                     data=lambda w, p: {"name": "สำนักปลัดองค์การ"}),
    "unit_move": Url(args=lambda w: [w.klang.pk], get=POST_ONLY, post=ADMINS_CHANGE,
                     data=lambda w, p: {"direction": "up"}),
    "unit_retire": Url(args=lambda w: [w.klang.pk], get=POST_ONLY, post=ADMINS_CHANGE),
    "unit_reactivate": Url(args=lambda w: [w.klang.pk], get=POST_ONLY, post=ADMINS_CHANGE),
    # notifications: each signed-in person their own; the feed by its secret address alone
    "notifications:list": Url(get=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    "notifications:badge": Url(get=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    "notifications:open": Url(args=lambda w: [w.notification.pk], get=POST_ONLY,
                              post=answers(LOGIN, DONE, 404, 404, 404, 404, 404, 404)),
    "notifications:read_all": Url(get=POST_ONLY, post=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE)),
    "notifications:preferences": Url(get=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200),
                                     post=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE)),
    "notifications:calendar": Url(get=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    "notifications:calendar_reset": Url(get=POST_ONLY, post=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    "notifications:calendar_feed": Url(args=lambda w: [w.feed_token], get=everyone(200)),
    # audit: each organisation's admins read their own organisation's log
    "audit:log": Url(get=answers(LOGIN, 403, 403, 403, 200, 200, 403, 403)),
    "audit:export": Url(get=answers(LOGIN, 403, 403, 403, 200, 200, 403, 403)),
    # assessments
    "home": Url(get=answers(LOGIN, DONE, DONE, DONE, DONE, 200, DONE, DONE)),
    "assessment_list": Url(get=answers(LOGIN, 403, 403, 200, 200, 200, 403, 403)),
    "assessment_new": Url(args=lambda w: [2567], get=answers(LOGIN, 403, 403, 403, 200, 200, 403, 403),
                          post=answers(LOGIN, 403, 403, 403, DONE, DONE, 403, 403),
                          data=lambda w, p: {"published_overall": "88.50"}),
    "assessment_preview": Url(args=lambda w: [2568], get=POST_ONLY_SIGNED_IN,
                              post=answers(LOGIN, 403, 403, 403, 200, 200, 403, 403),
                              data=lambda w, p: {"score_1": "90"}),
    "assessment_edit": Url(args=lambda w: [w.assessment.pk], get=ADMINS, post=ADMINS_CHANGE,
                           data=lambda w, p: {"published_overall": "90.42",
                                              **{f"score_{n}": s for n, s in w.scores.items()}}),
    "assessment_findings": Url(args=lambda w: [w.assessment.pk], get=ADMINS),
    "analysis_paste": Url(args=lambda w: [w.assessment.pk], get=ADMINS, post=ADMINS_CHANGE,
                          data=lambda w, p: {"text": "9. การเปิดเผยข้อมูล\nจุดที่ควรพัฒนา: o11 ควรเผยแพร่แผน", "action": "save"}),
    "finding_add": Url(args=lambda w: [w.assessment.pk, 9], get=ADMINS, post=ADMINS_CHANGE,
                       data=lambda w, p: {"indicator": w.indicator9.pk, "kind": "improve", "text": "ข้อใหม่"}),
    "finding_edit": Url(args=lambda w: [w.assessment.pk, w.finding.pk], get=ADMINS, post=ADMINS_CHANGE,
                        data=lambda w, p: {"indicator": w.indicator9.pk, "kind": "improve", "text": "แก้แล้ว"}),
    "finding_delete": Url(args=lambda w: [w.assessment.pk, w.finding.pk], get=POST_ONLY_SIGNED_IN,
                          post=ADMINS_CHANGE),
    "assessment_check": Url(args=lambda w: [w.assessment.pk], get=answers(LOGIN, 403, 403, 200, 200, 404, 404, 403)),
    "check_review": Url(args=lambda w: [w.assessment.pk], get=POST_ONLY_SIGNED_IN, post=ADMINS_CHANGE,
                        data=lambda w, p: {"key": w.review_key, "comment": "ตรวจแล้ว"}),
    "check_unreview": Url(args=lambda w: [w.assessment.pk], get=POST_ONLY_SIGNED_IN, post=ADMINS_CHANGE,
                          data=lambda w, p: {"key": w.review_key}),
    "measures:draft": Url(args=lambda w: [w.assessment.pk], get=ADMINS, post=ADMINS_CHANGE,
                          data=draft_data),
    # measures: the plan
    "measures:current": Url(get=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, 403)),
    "measures:plan": Url(args=lambda w: [2569], get=OWN_ORGANISATION),
    "measures:add": Url(args=lambda w: [2569], get=answers(LOGIN, 200, 200, 403, 200, 404, 404, 403),
                        post=answers(LOGIN, DONE, DONE, 403, DONE, 404, 404, 403), data=measure_data),
    "measures:detail": Url(args=lambda w: [w.measure.pk], get=MEMBERS),
    "measures:row": Url(args=lambda w: [w.measure.pk], get=MEMBERS),
    "measures:edit": Url(args=lambda w: [w.measure.pk], get=ROW_EDITORS, post=ROW_EDITORS_CHANGE, data=measure_data),
    "measures:delete": Url(args=lambda w: [w.measure.pk], get=ROW_EDITORS, post=ROW_EDITORS_CHANGE,
                           data=lambda w, p: {"version": w.measure.version}),
    "measures:move": Url(args=lambda w: [w.measure.pk], get=POST_ONLY, post=ROW_EDITORS_CHANGE,
                         data=lambda w, p: {"direction": "up"}),
    "measures:history": Url(args=lambda w: [w.measure.pk], get=MEMBERS),
    "measures:add_note": Url(args=lambda w: [w.measure.pk], get=POST_ONLY, post=ROW_EDITORS_CHANGE,
                             data=lambda w, p: {"date": "2026-02-01", "text": "ทำแล้ว"}),
    "measures:evidence": Url(args=lambda w: [w.note.pk], get=MEMBERS),
    "measures:delete_note": Url(args=lambda w: [w.note.pk], get=ROW_EDITORS, post=ROW_EDITORS_CHANGE),
    "measures:delete_file": Url(args=lambda w: [w.note.pk], get=ROW_EDITORS, post=ROW_EDITORS_CHANGE),
    # measures: the bin (an admin of another organisation reads and empties their own)
    "measures:bin": Url(get=answers(LOGIN, 403, 403, 403, 200, 200, 403, 403)),
    "measures:empty_bin": Url(get=answers(LOGIN, 403, 403, 403, 200, 200, 403, 403),
                              post=answers(LOGIN, 403, 403, 403, DONE, DONE, 403, 403)),
    "measures:restore": Url(args=lambda w: ["measure", w.binned.pk], get=POST_ONLY, post=ADMINS_CHANGE),
    # measures: the yearly cycle (the other organisation has no plan of 2569: 404)
    "measures:start_year": Url(get=answers(LOGIN, 403, 403, 403, 200, 200, 403, 403),
                               post=answers(LOGIN, 403, 403, 403, DONE, DONE, 403, 403), data=start_year_data),
    "measures:plan_submit": Url(args=lambda w: [2569], get=ADMINS, post=ADMINS_CHANGE),
    "measures:plan_return": Url(args=lambda w: [2569], prepare=lambda w: w.plan_in(Plan.State.SUBMITTED),
                                get=answers(LOGIN, 403, 403, 200, 200, 404, 404, 403),
                                post=answers(LOGIN, 403, 403, DONE, DONE, 404, 404, 403),
                                data=lambda w, p: {"comment": "ขอแก้ไขระยะเวลา"}),
    "measures:plan_approve": Url(args=lambda w: [2569], prepare=lambda w: w.plan_in(Plan.State.SUBMITTED),
                                 get=answers(LOGIN, 403, 403, 200, 403, 404, 404, 403),
                                 post=answers(LOGIN, 403, 403, DONE, 403, 404, 404, 403), data=approval_data),
    "measures:plan_report": Url(args=lambda w: [2569], prepare=lambda w: w.plan_in(Plan.State.APPROVED),
                                get=ADMINS, post=ADMINS_CHANGE),
    "measures:plan_reopen": Url(args=lambda w: [2569], prepare=lambda w: w.plan_in(Plan.State.APPROVED),
                                get=ADMINS, post=ADMINS_CHANGE, data=lambda w, p: {"comment": "แก้ไขผู้รับผิดชอบ"}),
    # oversight: area offices read their area, platform staff the nation
    "oversight:area": Url(get=ONBOARDERS),
    "oversight:export": Url(get=ONBOARDERS, post=ONBOARDERS_CHANGE),
    "oversight:reports_zip": Url(get=POST_ONLY, post=ONBOARDERS_CHANGE, data=lambda w, p: {"year": 2568}),
    "oversight:import": Url(get=ONBOARDERS, post=ONBOARDERS_CHANGE,
                            data=lambda w, p: {"text": "หน่วยงานใด ปี 2568 " + "90 " * 11, "action": "apply"}),
    # onboarding
    "onboarding:list": Url(get=ONBOARDERS),
    "onboarding:add": Url(get=ONBOARDERS, post=ONBOARDERS_CHANGE, data=new_organisation),
    "onboarding:import": Url(get=ONBOARDERS, post=ONBOARDERS, data=organisations_file),
    "onboarding:import_confirm": Url(get=POST_ONLY, post=ONBOARDERS_CHANGE,
                                     data=lambda w, p: {"token": "not-a-pending-upload"}),
    "onboarding:template": Url(get=ONBOARDERS),
    "onboarding:organisation": Url(args=lambda w: [w.org.pk], get=ONBOARDERS, post=ONBOARDERS_CHANGE,
                                   data=lambda w, p: {"name": "ผู้ดูแล คนที่สอง", "email": "second@example.go.th"}),
    "onboarding:edit": Url(args=lambda w: [w.org.pk], get=ONBOARDERS, post=ONBOARDERS_CHANGE,
                           data=lambda w, p: {"name": "อบต.ทดสอบใหม่", "short_name": "", "kind": "",
                                              "district": "ปากช่อง", "province": "นครราชสีมา"}),
    "onboarding:resend": Url(args=lambda w: [w.org.pk, w.pending.pk], get=POST_ONLY, post=ONBOARDERS_CHANGE),
    # dashboard
    "dashboard:latest": Url(get=MEMBERS),  # the outsider's organisation has no results: 404
    "dashboard:year": Url(args=lambda w: [w.assessment.pk], get=MEMBERS),
    "dashboard:indicator": Url(args=lambda w: [w.assessment.pk, 9], get=MEMBERS),
    "dashboard:what_if": Url(args=lambda w: [w.assessment.pk], get=MEMBERS),
    "dashboard:compare": Url(get=OWN_ORGANISATION),
    # what waits for the reader: each signed-in person their own (nothing, for platform staff)
    "dashboard:waiting": Url(get=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    # reports
    "reports:index": Url(get=OWN_ORGANISATION),
    "reports:ita": Url(args=lambda w: [w.assessment.pk], get=MEMBERS),
    "reports:ita_pdf": Url(args=lambda w: [w.assessment.pk], get=ADMINS),
    "reports:progress": Url(args=lambda w: [w.assessment.pk], get=MEMBERS),
    "reports:progress_pdf": Url(args=lambda w: [w.assessment.pk], get=ADMINS),
    "reports:plan_xlsx": Url(args=lambda w: [w.assessment.pk], get=ADMINS, post=ADMINS_CHANGE),
    "reports:data": Url(args=lambda w: [w.assessment.pk, "scores", "csv"], get=MEMBERS),
    "reports:import": Url(args=lambda w: [w.assessment.pk], get=ADMINS, post=ADMINS, data=plan_file),
    "reports:import_confirm": Url(args=lambda w: [w.assessment.pk], get=POST_ONLY, post=ADMINS_CHANGE,
                                  data=lambda w, p: {"token": "not-a-pending-upload"}),
    "reports:publish": Url(args=lambda w: [w.assessment.pk], get=POST_ONLY, post=ADMINS_CHANGE),
    "public:page": Url(args=lambda w: [w.assessment.organisation_id, 2568], get=everyone(200)),
    "public:data": Url(args=lambda w: [w.assessment.organisation_id, 2568, "plan", "json"], get=everyone(200)),
    # oit: the year's workspace of the reader's own organisation (the other organisation has none)
    "oit:current": Url(get=answers(LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, 403)),
    "oit:workspace": Url(args=lambda w: [2568], get=OWN_ORGANISATION),
    "oit:start": Url(args=lambda w: [2568], get=POST_ONLY, post=OWN_ADMIN_CHANGE),
    "oit:settings": Url(args=lambda w: [2568], get=POST_ONLY, post=ADMINS_CHANGE,
                        data=lambda w, p: {"is_public": "on"}),
    "oit:export": Url(args=lambda w: [2568], get=MEMBERS),
    "oit:check_links": Url(args=lambda w: [2568], get=POST_ONLY, post=ADMINS_CHANGE),
    "oit:import": Url(args=lambda w: [2568], get=ADMINS, post=ADMINS, data=oit_checklist_file),
    "oit:import_confirm": Url(args=lambda w: [2568], get=POST_ONLY, post=ADMINS_CHANGE,
                              data=lambda w, p: {"token": "not-a-pending-upload"}),
    "oit:item": Url(args=lambda w: [w.oit_item.pk], get=MEMBERS),
    "oit:assign": Url(args=lambda w: [w.oit_item.pk], get=POST_ONLY, post=ADMINS_CHANGE,
                      data=lambda w, p: {"units": [w.klang.pk], "due_date": "31/03/2569"}),
    "oit:status": Url(args=lambda w: [w.oit_item.pk], get=POST_ONLY, post=ROW_EDITORS_CHANGE,
                      data=lambda w, p: {"status": "published"}),
    "oit:link_add": Url(args=lambda w: [w.oit_item.pk], get=POST_ONLY, post=ROW_EDITORS_CHANGE,
                        data=lambda w, p: {"url": "https://www.example.go.th/new"}),
    "oit:file_add": Url(args=lambda w: [w.oit_item.pk], get=POST_ONLY, post=ROW_EDITORS_CHANGE,
                        data=lambda w, p: {"file": SimpleUploadedFile("ผัง.pdf", VALID_PDF)}),
    # the item was prepared by the staff member: admins review it
    "oit:review": Url(args=lambda w: [w.oit_item.pk], get=POST_ONLY, post=ADMINS_CHANGE,
                      data=lambda w, p: {"review": "passed"}),
    "oit:link_delete": Url(args=lambda w: [w.oit_link.pk], get=POST_ONLY, post=ROW_EDITORS_CHANGE),
    "oit:file": Url(args=lambda w: [w.oit_file.pk], get=MEMBERS),
    "oit:file_delete": Url(args=lambda w: [w.oit_file.pk], get=POST_ONLY, post=ROW_EDITORS_CHANGE),
    "oit_public:page": Url(args=lambda w: [w.assessment.organisation_id, 2568], get=everyone(200)),
    "oit_public:file": Url(args=lambda w: [w.assessment.organisation_id, 2568, w.oit_file.pk], get=everyone(200)),
    # jobs
    "jobs:list": Url(get=answers(LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    "jobs:detail": Url(args=lambda w: [w.job.pk], get=JOB),
    "jobs:status": Url(args=lambda w: [w.job.pk], get=JOB),
    "jobs:download": Url(args=lambda w: [w.job.pk], get=JOB),
    "jobs:cancel": Url(args=lambda w: [w.running_job.pk], get=POST_ONLY, post=JOB_CHANGE),
    "reports:import_job_confirm": Url(args=lambda w: [w.preview_job.pk], get=POST_ONLY, post=JOB_CHANGE),
}
# Django's admin site, outside the walk: its index for every persona (platform staff only).
ADMIN_SITE = {
    "admin:index": Url(get=answers(LOGIN, 403, 403, 403, 403, 403, 403, 403, platform=200)),
}


def url_names(patterns=None, prefix="", namespace=None):
    """The name of every URL pattern under the root URLconf, except the excluded prefixes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if pattern.namespace and namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from url_names(pattern.url_patterns, route, inner)
        else:
            assert pattern.name, f"URL {route} has no name, so the matrix cannot list it"
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_of_the_project_is_in_the_matrix():
    names = list(url_names())
    assert len(names) == len(set(names)), "two URLs share a name"
    assert set(names) - set(MATRIX) == set(), "URLs missing from the permission matrix"
    assert set(MATRIX) - set(names) == set(), "the matrix lists URLs that no longer exist"


def test_every_listed_url_says_what_each_persona_gets():
    for name, url in (MATRIX | ADMIN_SITE).items():
        assert url.get or url.post, name
        for expected in (url.get, url.post):
            assert expected is None or set(expected) == set(PERSONAS), name


class World:
    """The data every URL is called with, and a signed-in client per persona."""

    def __init__(self, personas, assessment, palad, klang, other_org):
        from .conftest import SEED_SCORES

        self.assessment = assessment
        self.scores = SEED_SCORES
        self.indicator9 = assessment.fiscal_year.indicators.get(number=9)
        # Row 4 quotes 80.00 instead of 83.87: one item for the check page to review.
        self.measure = make_measure(assessment, [palad], number=4, indicator_label="ตัวชี้วัดที่ ๔",
                                    analysis="ได้รับคะแนน ๘๐.๐๐ คะแนน", position=2)
        make_measure(assessment, [palad], number=4, indicator_label="ตัวชี้วัดที่ ๔", position=1)
        self.note = ProgressNote.objects.create(
            measure=self.measure, text="หลักฐาน", author=personas["staff"],
            file=ContentFile(PDF, name="evidence.pdf"), file_name="หลักฐาน.pdf", file_type="application/pdf",
        )
        # A row in the bin, for the restore endpoint.
        self.binned = make_measure(assessment, [palad], activity="แถวในถังขยะ", position=3)
        Measure.all_objects.filter(pk=self.binned.pk).update(deleted_at=timezone.now())
        self.finding = Finding.objects.create(
            assessment=assessment, indicator=self.indicator9, kind=Finding.Kind.IMPROVE, text="ควรเปิดเผยข้อมูล")
        # A point to improve with a question code that has a standard recommendation: one draft.
        Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=4),
                               kind=Finding.Kind.IMPROVE, code="i10", text="ควรปรับปรุงการใช้ทรัพย์สิน")
        self.review_key = check_assessment(assessment)[0].key
        CheckReview.objects.create(assessment=assessment, key=self.review_key, comment="ตรวจแล้ว",
                                   reviewed_by=personas["org_admin"])
        assessment.is_public = True
        assessment.save(update_fields=["is_public"])
        admin, organisation = personas["org_admin"], assessment.organisation
        self.job = Job.objects.create(
            kind="plan_xlsx", user=admin, organisation=organisation, assessment=assessment,
            state=Job.State.DONE, done=1, total=1, result_name="plan.xlsx",
            result=default_storage.save("jobs/plan.xlsx", ContentFile(b"PK\x03\x04")),
        )
        self.running_job = Job.objects.create(
            kind="area_reports", user=admin, organisation=organisation, assessment=assessment,
            state=Job.State.RUNNING, done=1, total=3,
        )
        self.preview_job = Job.objects.create(
            kind="import_preview", user=admin, organisation=organisation, assessment=assessment,
            state=Job.State.DONE, outcome="preview_done", outcome_params={"can_apply": True, "versions": ""},
            upload=default_storage.save("jobs/uploads/plan.xlsx", plan_file(self, None)["file"]),
        )
        # The OIT workspace of 2568, published; its o1 is สำนักปลัด's, prepared by the staff member.
        workspace = workspace_start(organisation=assessment.organisation, fiscal_year=assessment.fiscal_year)
        OitWorkspace.objects.filter(pk=workspace.pk).update(is_public=True)
        self.oit_item = OitItem.objects.get(workspace=workspace, question__code="o1")
        self.oit_item.units.set([palad])
        self.oit_link = OitLink.objects.create(item=self.oit_item, url="https://www.example.go.th/o1")
        self.oit_file = OitFile.objects.create(item=self.oit_item, file=ContentFile(PDF, name="oit.pdf"),
                                               file_name="ผัง.pdf", file_type="application/pdf")
        OitItem.objects.filter(pk=self.oit_item.pk).update(prepared_by=personas["staff"])
        area = get_user_model().objects.create_user("area_office")
        OversightMembership.objects.create(user=area, province="นครราชสีมา")
        other_staff = make_user("outsider_staff", other_org, Membership.Role.STAFF, other_org.units.all())
        platform = get_user_model().objects.create_superuser("platform")
        self.users = {**personas, "outsider_staff": other_staff, "area_office": area, "platform": platform}
        self.org, self.palad, self.klang = assessment.organisation, palad, klang
        self.person = personas["staff"].membership
        # A second admin of the organisation, invited and not yet signed in.
        [self.pending] = people_create([NewPerson(self.org, "ผู้ดูแล รอ", "pending@example.go.th",
                                                  Membership.Role.ADMIN)])
        self.pending.invited_at = timezone.now()
        self.pending.save(update_fields=["invited_at"])
        self.invitation_args = [urlsafe_base64_encode(force_bytes(self.pending.user_id)),
                                invitation_tokens.make_token(self.pending.user)]
        self.clients = {"anonymous": Client()}
        for name, user in self.users.items():
            self.clients[name] = Client()
            self.clients[name].force_login(user)
        # After the sign-ins above: a reset token hashes the user's last sign-in.
        executive = get_user_model().objects.get(pk=personas["executive"].pk)
        self.reset_args = [urlsafe_base64_encode(force_bytes(executive.pk)),
                           default_token_generator.make_token(executive)]
        self.unit_sets = {"staff": [palad], "other_staff": [klang]}
        # A notification of the staff member's, and their calendar feed's address.
        self.notification = Notification.objects.create(
            recipient=personas["staff"], organisation=self.org, kind="row_assigned", text="มาตรการใหม่",
            link=reverse("measures:detail", args=[self.measure.pk]))
        self.feed_token = CalendarFeed.reset(personas["staff"])

    def units_of(self, persona):
        return self.unit_sets.get(persona, [])

    def plan_in(self, state):
        """Move the plan of 2569 to `state` the way its people would."""
        plan = Plan.objects.get(assessment=self.assessment)
        plan.take_step(PlanEvent.Kind.SUBMITTED, by=self.users["org_admin"])
        if state == Plan.State.APPROVED:
            plan.take_step(PlanEvent.Kind.APPROVED, by=self.users["executive"], signer_name="นายสมชาย ใจดี",
                           signer_position="นายก", signed_on=date(2025, 10, 20))


@pytest.fixture
def world(personas, assessment, palad, klang, other_org):
    return World(personas, assessment, palad, klang, other_org)


def fingerprint():
    """What any change endpoint of the portal could write."""
    return (
        list(Assessment.objects.order_by("pk").values_list("pk", "is_public", "published_overall")),
        list(IndicatorScore.objects.order_by("pk").values_list("pk", "score")),
        list(Finding.objects.order_by("pk").values_list("pk", "text")),
        list(Measure.all_objects.order_by("pk").values_list("pk", "version", "position", "activity", "deleted_at")),
        list(ProgressNote.all_objects.order_by("pk").values_list("pk", "text", "file", "deleted_at")),
        list(BinnedEvidence.objects.order_by("pk").values_list("pk", "file")),
        list(CheckReview.objects.order_by("pk").values_list("pk", "comment")),
        list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        list(Preference.objects.order_by("pk").values_list("pk", "user_id", "kind", "email")),
        list(CalendarFeed.objects.order_by("pk").values_list("pk", "secret_hash")),
        list(LineChannel.objects.order_by("pk").values_list("pk", "access_token", "target_id", "enabled")),
        list(Organisation.objects.order_by("pk").values_list("pk", "admins_need_two_factor")),
        list(Job.objects.order_by("pk").values_list("pk", "state", "cancel_requested", "upload")),
        list(Membership.objects.order_by("pk").values_list("pk", "role", "invited_at")),
        list(Membership.units.through.objects.order_by("pk").values_list("membership_id", "unit_id")),
        list(get_user_model().objects.order_by("pk").values_list("pk", "username", "email", "is_active", "password",
                                                                 "first_name", "last_name")),
        list(Organisation.objects.order_by("pk").values_list("pk", "name")),
        list(Unit.objects.order_by("pk").values_list("pk", "name", "position", "retired_at")),
        list(Plan.objects.order_by("pk").values_list("pk", "state")),
        list(PlanEvent.objects.order_by("pk").values_list("pk", "kind")),
        list(OitWorkspace.objects.order_by("pk").values_list("pk", "is_public")),
        list(OitItem.objects.order_by("pk").values_list("pk", "status", "review", "due_date", "prepared_by")),
        list(OitItem.units.through.objects.order_by("pk").values_list("item_id", "unit_id")),
        list(OitLink.objects.order_by("pk").values_list("pk", "url")),
        list(OitFile.objects.order_by("pk").values_list("pk", "file")),
    )


def outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("login")) else DONE
    return response.status_code


def audit_entries(pks=None):
    entries = Entry.objects.order_by("pk") if pks is None else Entry.objects.filter(pk__in=pks).order_by("pk")
    return list(entries.values_list("pk", "timestamp", "kind", "changes", "actor_id", "organisation_id"))


def call(client, method, path, data, before):
    """One request in a savepoint that is rolled back: (answer, whether the database changed).
    `before` is (fingerprint(), audit_entries()) as they stand before the request: the same for
    every call of a test, as each call is rolled back. Whatever the answer, an entry of the audit
    log that was there before must be there after, unchanged: no URL of the portal edits or
    deletes the log."""
    before, entries = before
    with transaction.atomic():
        response = getattr(client, method)(path, data)
        changed = fingerprint() != before
        assert audit_entries([entry[0] for entry in entries]) == entries, f"{method} {path} changed the audit log"
        if response.streaming:
            # Read to the end: the test client then closes the file without closing the
            # database connection (response.close() would, on PostgreSQL).
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return outcome(response), changed


@pytest.mark.parametrize("name", MATRIX | ADMIN_SITE)
def test_permission_matrix(name, world):
    url = (MATRIX | ADMIN_SITE)[name]
    url.prepare(world)
    path = reverse(name, args=url.args(world))
    before = fingerprint(), audit_entries()
    got, expected, leaks = {}, {}, []
    for method in ("get", "post"):
        wanted = getattr(url, method)
        if wanted is None:
            continue
        for persona in PERSONAS:
            client = world.clients[persona]
            data = url.data(world, persona) if method == "post" else {}
            answer, changed = call(client, method, path, data, before)
            got[method, persona], expected[method, persona] = answer, wanted[persona]
            if wanted[persona] in REFUSED:
                if changed:
                    leaks.append((method, persona, "changed the database"))
                if method == "post":
                    # Refused before the input is read: an empty form gets the same answer.
                    empty, changed = call(client, method, path, {}, before)
                    if empty != wanted[persona] or changed:
                        leaks.append((method, persona, f"an empty form got {empty}"))
    wrong = {f"{method} {persona}": f"got {got[method, persona]}, expected {expected[method, persona]}"
             for method, persona in got if got[method, persona] != expected[method, persona]}
    assert wrong == {}
    assert leaks == []
