"""What waits for me: the few things each person has to act on, for the top of their landing
page (the dashboard, the plan page, the welcome page, the area page).

- executives: plans waiting for their approval;
- staff: their rows that are late, due within 14 days, or without a progress note for 30 days;
  and their units' OIT items not passed yet that are late, due within 14 days or failed;
- admins: unreviewed items of the data-quality check, pending invitations, the OIT items
  published and waiting for the internal review, and the plan's state with its next step;
- area offices: organisations of the area without a plan for this fiscal year, or with late rows.

Each item is a line of text and a link; a fixed number of queries per role, whatever the
number of rows or organisations.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Membership
from lib import thai
from assessments.checks import check_assessment
from assessments.models import Assessment, Organisation
from measures.models import Measure, Plan
from oit.models import Item as OitItem

DUE_DAYS = 14
QUIET_DAYS = 30
SHOWN = 5  # rows or organisations named before "and N more"


@dataclass(frozen=True)
class Item:
    text: str
    link: str


def waiting_for(user, today=None):
    """The items waiting for `user`, in the order to act on them ([] when nothing waits)."""
    today = today or timezone.localdate()
    membership = getattr(user, "membership", None)
    if membership is not None:
        if membership.is_executive:
            return _for_executive(membership)
        if membership.is_admin:
            return _for_admin(membership)
        return _for_staff(membership, today)
    oversight = getattr(user, "oversight", None)
    return _for_area(oversight, today) if oversight is not None else []


def _for_executive(membership):
    plans = Plan.objects.filter(
        assessment__organisation_id=membership.organisation_id, state=Plan.State.SUBMITTED
    ).order_by("fiscal_year_id")
    return [
        Item(_("แผนพัฒนาองค์กรปี %(year)s รอท่านอนุมัติ") % {"year": plan.fiscal_year_id},
             reverse("measures:plan_approve", args=[plan.fiscal_year_id]))
        for plan in plans
    ]


NEXT_STEP = {
    Plan.State.DRAFT: ("measures:plan_submit", gettext_lazy("แผนพัฒนาองค์กรปี %(year)s เป็นร่าง: ขั้นต่อไปคือเสนอผู้บริหารอนุมัติ")),
    Plan.State.SUBMITTED: ("measures:plan", gettext_lazy("แผนพัฒนาองค์กรปี %(year)s เสนอผู้บริหารแล้ว: รอผู้บริหารอนุมัติ")),
    Plan.State.APPROVED: ("measures:plan", gettext_lazy("แผนพัฒนาองค์กรปี %(year)s อนุมัติแล้ว: ติดตามความคืบหน้า แล้วบันทึกว่ารายงานผลแล้วเมื่อสิ้นปี")),
}


def _for_admin(membership):
    organisation_id = membership.organisation_id
    items = []
    newest = (
        Assessment.objects.filter(organisation_id=organisation_id).with_scores()
        .order_by("-fiscal_year_id").first()
    )
    if newest is not None and not newest.is_past:
        reviewed = set(newest.check_reviews.values_list("key", flat=True))
        open_items = sum(1 for issue in check_assessment(newest) if issue.key not in reviewed)
        if open_items:
            items.append(Item(ngettext(
                "รายการตรวจข้อมูลปี %(year)s ที่ยังไม่ได้ตรวจทาน %(count)s รายการ",
                "รายการตรวจข้อมูลปี %(year)s ที่ยังไม่ได้ตรวจทาน %(count)s รายการ", open_items,
            ) % {"year": newest.fiscal_year_id, "count": open_items},
                reverse("assessment_check", args=[newest.pk])))
    pending = Membership.objects.filter(
        organisation_id=organisation_id, invited_at__isnull=False, user__is_active=True,
        user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
    ).count()
    if pending:
        items.append(Item(ngettext(
            "คำเชิญที่ยังไม่ได้ตอบรับ %(count)s คน", "คำเชิญที่ยังไม่ได้ตอบรับ %(count)s คน", pending,
        ) % {"count": pending}, reverse("people")))
    to_review = OitItem.objects.current().awaiting_review().filter(workspace__organisation_id=organisation_id).count()
    if to_review:
        items.append(Item(ngettext(
            "ข้อ OIT ที่เผยแพร่แล้วรอตรวจภายใน %(count)s ข้อ", "ข้อ OIT ที่เผยแพร่แล้วรอตรวจภายใน %(count)s ข้อ", to_review,
        ) % {"count": to_review}, reverse("oit:current")))
    plan = Plan.objects.filter(assessment__organisation_id=organisation_id).order_by("-fiscal_year_id").first()
    if plan is not None and plan.state in NEXT_STEP:
        name, text = NEXT_STEP[plan.state]
        items.append(Item(text % {"year": plan.fiscal_year_id}, reverse(name, args=[plan.fiscal_year_id])))
    return items


def _for_staff(membership, today):
    rows = (
        Measure.objects.unfinished()
        .filter(assessment__organisation_id=membership.organisation_id)
        .filter(Q(for_all_units=True) | Q(units__in=membership.unit_ids)).distinct()
        .annotate(last_note=Max("notes__date", filter=Q(notes__deleted_at__isnull=True)))
        .select_related("plan").order_by("end_date", "position", "id")
    )
    quiet_since = today - timedelta(days=QUIET_DAYS)
    found = []
    for row in rows:
        if row.end_date and row.end_date < today:
            found.append((row, _("ล่าช้า")))
        elif row.end_date and row.end_date <= today + timedelta(days=DUE_DAYS):
            found.append((row, _("ครบกำหนดภายใน %(days)s วัน") % {"days": DUE_DAYS}))
        elif row.plan.state == Plan.State.APPROVED and (
            (row.last_note or row.plan.approved_on or today) <= quiet_since
        ):
            found.append((row, _("ไม่มีบันทึกความคืบหน้า %(days)s วัน") % {"days": QUIET_DAYS}))
    items = [
        Item(f"{why}: {' '.join(row.activity.split())[:120]}"
             + (f" ({thai.thai_date(row.end_date, short=True)})" if row.end_date else ""),
             reverse("measures:detail", args=[row.pk]))
        for row, why in found[:SHOWN]
    ]
    if len(found) > SHOWN:
        items.append(Item(_("และอีก %(count)s มาตรการ") % {"count": len(found) - SHOWN},
                          reverse("measures:current") + "?mine=on"))
    return items + _oit_for_staff(membership, today)


def _oit_for_staff(membership, today):
    """The member's units' OIT items of the newest workspace to act on: late, failed, then due
    soon; one query."""
    found = []
    oit_items = (
        OitItem.objects.current().to_follow(today, DUE_DAYS)
        .filter(workspace__organisation_id=membership.organisation_id, units__in=membership.unit_ids).distinct()
        .select_related("question").in_order().order_by("due_date", "code_number")
    )
    for item in oit_items:
        if item.due_date and item.due_date < today:
            found.append((0, item, _("ข้อ OIT ล่าช้า")))
        elif item.failed:
            found.append((1, item, _("ข้อ OIT ไม่ผ่านการตรวจภายใน")))
        else:
            found.append((2, item, _("ข้อ OIT ครบกำหนดภายใน %(days)s วัน") % {"days": DUE_DAYS}))
    found.sort(key=lambda entry: entry[0])
    items = [
        Item(f"{why}: {item}"[:160] + (f" ({thai.thai_date(item.due_date, short=True)})" if item.due_date else ""),
             reverse("oit:item", args=[item.pk]))
        for _order, item, why in found[:SHOWN]
    ]
    if len(found) > SHOWN:
        items.append(Item(_("และอีก %(count)s ข้อ OIT") % {"count": len(found) - SHOWN}, reverse("oit:current")))
    return items


def _for_area(oversight, today):
    year = thai.fiscal_year_of(today)
    organisations = oversight.organisations()
    without_plan = list(
        organisations.exclude(assessments__plan__fiscal_year_id=year).order_by("name")[:SHOWN + 1]
    )
    with_late = list(
        Organisation.objects.filter(
            pk__in=Measure.objects.late(today).filter(assessment__organisation__in=organisations)
            .values("assessment__organisation_id")
        ).order_by("name")[:SHOWN + 1]
    )
    items = []
    area = reverse("oversight:area")
    if without_plan:
        names = ", ".join(o.name for o in without_plan[:SHOWN]) + (" …" if len(without_plan) > SHOWN else "")
        items.append(Item(_("ยังไม่มีแผนพัฒนาองค์กรปี %(year)s: %(names)s") % {"year": year, "names": names}, area))
    if with_late:
        names = ", ".join(o.name for o in with_late[:SHOWN]) + (" …" if len(with_late) > SHOWN else "")
        items.append(Item(_("มีมาตรการล่าช้า: %(names)s") % {"names": names}, area))
    return items
