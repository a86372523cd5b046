"""The kinds of notification: each is a few lines, its key, its Thai label and who receives it.

Who receives a kind is the organisation's members of the kind's roles ("staff", "executive",
"admin": the roles of accounts.Membership); the call to `notify` may narrow them to some units
or some people, never widen them (notifications/delivery.py). A new kind is one `register(...)`,
here or in a module of the domain app that its AppConfig.ready() imports (the OIT workspace's are
in oit/notices.py), and one `notify(kind=..., ...)` where the event happens:

    REVIEW_FAILED = register(Kind(
        "oit_review_failed", _("ข้อ OIT ไม่ผ่านการตรวจภายใน"), roles=(STAFF, ADMIN),
        audience=_("เจ้าหน้าที่ของสำนัก/กองที่รับผิดชอบข้อนั้น และผู้จัดทำข้อนั้น"),
    ))

`line` says whether the kind also goes to the organisation's LINE channel (a group chat reads
every message pushed to it, so the per-person digests stay out of it and their summary goes).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

STAFF, EXECUTIVE, ADMIN = "staff", "executive", "admin"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    roles: tuple
    audience: str
    line: bool = True

    def __str__(self):
        return str(self.label)


KINDS = {}


def register(kind):
    if kind.key in KINDS:
        raise ValueError(f"notification kind {kind.key!r} is registered twice")
    KINDS[kind.key] = kind
    return kind


PLAN_SUBMITTED = register(Kind(
    "plan_submitted", _("แผนรออนุมัติ"), roles=(EXECUTIVE,), audience=_("ผู้บริหารของหน่วยงาน"),
))
PLAN_APPROVED = register(Kind(
    "plan_approved", _("แผนได้รับอนุมัติ"), roles=(ADMIN,), audience=_("ผู้ดูแลระบบของหน่วยงาน"),
))
PLAN_RETURNED = register(Kind(
    "plan_returned", _("แผนถูกส่งกลับไปแก้ไข"), roles=(ADMIN,), audience=_("ผู้ดูแลระบบของหน่วยงาน"),
))
PLAN_REOPENED = register(Kind(
    "plan_reopened", _("แผนถูกเปิดแก้ไขหลังอนุมัติ"), roles=(ADMIN,),
    audience=_("ผู้ดูแลระบบของหน่วยงาน (นอกจากผู้เปิดแผน)"),
))
ROW_ASSIGNED = register(Kind(
    "row_assigned", _("มาตรการที่มอบหมายให้สำนัก/กองของฉัน"), roles=(STAFF,),
    audience=_("เจ้าหน้าที่ของสำนัก/กองที่ได้รับมอบหมาย"),
))
DUE_DIGEST = register(Kind(
    "due_digest", _("สรุปรายสัปดาห์: มาตรการใกล้ครบกำหนดและล่าช้า"), roles=(STAFF,),
    audience=_("เจ้าหน้าที่ของสำนัก/กองที่รับผิดชอบ"), line=False,
))
DUE_SUMMARY = register(Kind(
    "due_summary", _("สรุปรายสัปดาห์ของหน่วยงาน: มาตรการใกล้ครบกำหนดและล่าช้า"), roles=(ADMIN,),
    audience=_("ผู้ดูแลระบบของหน่วยงาน"),
))
NO_PROGRESS = register(Kind(
    "no_progress", _("มาตรการที่ไม่มีบันทึกความคืบหน้า 30 วัน"), roles=(STAFF,),
    audience=_("เจ้าหน้าที่ของสำนัก/กองที่รับผิดชอบ"), line=False,
))
INVITATION_ACCEPTED = register(Kind(
    "invitation_accepted", _("ผู้ได้รับเชิญเข้าใช้งานแล้ว"), roles=(ADMIN,), audience=_("ผู้ดูแลระบบที่ส่งคำเชิญ"),
    line=False,
))


def kinds_for_role(role):
    """The kinds a member of `role` may receive, in the order registered."""
    return [kind for kind in KINDS.values() if role in kind.roles]
