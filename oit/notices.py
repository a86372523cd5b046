"""What the OIT workspace tells people (through notifications): an item that failed its internal
review, and the weekly digest of items late or due soon (oit/digests.py). Loaded from the app's
ready(), which registers the kinds. The texts are Thai, as the e-mails are."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from notifications.delivery import notify
from notifications.kinds import ADMIN, STAFF, Kind, register

# The preparer may be an admin; the staff of the item's units are told whoever prepared it.
REVIEW_FAILED = register(Kind(
    "oit_review_failed", _("ข้อ OIT ไม่ผ่านการตรวจภายใน"), roles=(STAFF, ADMIN),
    audience=_("เจ้าหน้าที่ของสำนัก/กองที่รับผิดชอบข้อนั้น และผู้จัดทำข้อนั้น"),
))
DUE_DIGEST = register(Kind(
    "oit_due_digest", _("สรุปรายสัปดาห์: ข้อ OIT ใกล้ครบกำหนดและล่าช้า"), roles=(STAFF,),
    audience=_("เจ้าหน้าที่ของสำนัก/กองที่รับผิดชอบ"), line=False,
))


def review_failed(item, *, by):
    """Tell the staff of the item's units and its preparer (when a member of the organisation)
    that the item failed the review `by` gave it, with the reviewer's comment."""
    organisation = item.workspace.organisation
    staff = Membership.objects.filter(
        organisation_id=organisation.pk, role=Membership.Role.STAFF, units__in=[unit.pk for unit in item.units.all()]
    ).values_list("user_id", flat=True)
    users = {*staff, item.prepared_by_id} - {None}
    if not users:
        return []
    text = f"ข้อ OIT {item} ไม่ผ่านการตรวจภายใน ปี {item.workspace.fiscal_year_id}"
    body = "\n".join([text, "", f"ความเห็นผู้ตรวจ ({by.get_full_name() or by.username}): {item.review_comment}"])
    return notify(kind=REVIEW_FAILED, organisation=organisation, text=text, body=body,
                  link=item.get_absolute_url(), users=users, exclude=by)
