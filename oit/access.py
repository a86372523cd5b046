"""Who may read and change an organisation's OIT workspace, on the role basics of accounts.

The rights follow the plan's: every member of the organisation reads its workspaces; staff
prepare (status, links, files) the items of their own units; admins prepare every item, assign
units and due dates, name reviewers, publish and import; executives read. The internal review is
by an admin or a reviewer the admin named, never by the person who last prepared the item.
Another organisation's workspace, item, link or file is a 404; a change the role may not make a 403.
Once the organisation has started a later year's workspace, an earlier one takes no change
(ChangeRefused, a 403 with the reason), as a past year's plan takes none.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import get_membership, require_admin
from assessments.models import ChangeRefused, FiscalYear

from .models import EvidenceFile, Item, Link, Workspace


def workspaces_for_user(request):
    membership = get_membership(request)
    return Workspace.objects.filter(organisation_id=membership.organisation_id)


def get_year(year):
    """A fiscal year of the reference data that has OIT items, or 404."""
    return get_object_or_404(
        FiscalYear.objects.prefetch_related("indicators", "levels").filter(codes__tool="OIT").distinct(), pk=year
    )


def current_year(request):
    """The year of the organisation's newest workspace, else the newest year with an OIT list."""
    newest = workspaces_for_user(request).order_by("-fiscal_year_id").values_list("fiscal_year_id", flat=True).first()
    if newest is not None:
        return newest
    return FiscalYear.objects.filter(codes__tool="OIT").order_by("-year").values_list("year", flat=True).first()


def get_workspace_for_user(request, year):
    """(membership, the organisation's workspace of `year` or None when not started, the year)."""
    membership = get_membership(request)
    fiscal_year = get_year(year)
    workspace = workspaces_for_user(request).filter(fiscal_year=fiscal_year).prefetch_related("reviewers").first()
    return membership, workspace, fiscal_year


def get_workspace_for_admin(request, year, past_ok=False):
    """The organisation's workspace of `year` for an admin's change: 404 when it has not been
    started, then 403 for anyone but the organisation's admins, then ChangeRefused for a past
    year's unless `past_ok` (publishing its page, as a past year's results page is)."""
    workspace = workspaces_for_user(request).select_related("fiscal_year", "organisation").filter(
        fiscal_year_id=year).first()
    if workspace is None:
        raise Http404(_("ยังไม่ได้เริ่มเตรียม OIT ของปีนี้"))
    require_admin(request)
    if not past_ok:
        _refuse_past(workspace)
    return workspace


def _refuse_past(workspace):
    reason = workspace.change_refusal()
    if reason:
        raise ChangeRefused(reason)


def may_prepare(membership, item):
    """Admins prepare every item; staff the items of their units (uses the prefetched units)."""
    if membership.is_admin:
        return True
    return membership.is_staff_member and any(unit.id in membership.unit_ids for unit in item.units.all())


def may_review(membership, item):
    """Admins and the reviewers the admin named; never the person who last prepared the item."""
    if item.prepared_by_id == membership.user_id:
        return False
    return membership.is_admin or any(user.pk == membership.user_id for user in item.workspace.reviewers.all())


def get_item_for_user(request, pk):
    """One item of the user's organisation with what its page shows; 404 for any other."""
    membership = get_membership(request)
    return get_object_or_404(
        Item.objects.filter(workspace__organisation_id=membership.organisation_id)
        .select_related("workspace__fiscal_year", "workspace__organisation", "question__indicator",
                        "question__sub_indicator", "question__oit_criteria", "reviewed_by", "prepared_by")
        .prefetch_related("units", "links", "files", "workspace__reviewers"),
        pk=pk,
    )


def get_item_to_prepare(request, pk):
    item = get_item_for_user(request, pk)
    if not may_prepare(get_membership(request), item):
        raise PermissionDenied(_("ไม่มีสิทธิ์แก้ไขข้อนี้ เฉพาะผู้ดูแลระบบหรือเจ้าหน้าที่ของสำนัก/กองที่รับผิดชอบ"))
    _refuse_past(item.workspace)
    return item


def get_item_to_assign(request, pk):
    item = get_item_for_user(request, pk)
    require_admin(request)
    _refuse_past(item.workspace)
    return item


def get_item_to_review(request, pk):
    item = get_item_for_user(request, pk)
    membership = get_membership(request)
    if not may_review(membership, item):
        if item.prepared_by_id == membership.user_id:
            raise PermissionDenied(_("ผู้จัดทำข้อนี้ตรวจข้อของตนเองไม่ได้ ต้องเป็นผู้ตรวจคนอื่น"))
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบหรือผู้ตรวจที่ผู้ดูแลระบบมอบหมายเท่านั้น"))
    _refuse_past(item.workspace)
    return item


def get_link_to_change(request, pk):
    link = get_object_or_404(Link.objects.select_related("item"), pk=pk,
                             item__workspace__organisation_id=get_membership(request).organisation_id)
    get_item_to_prepare(request, link.item_id)
    return link


def get_file_for_user(request, pk, for_change=False):
    evidence = get_object_or_404(EvidenceFile.objects.select_related("item"), pk=pk,
                                 item__workspace__organisation_id=get_membership(request).organisation_id)
    if for_change:
        get_item_to_prepare(request, evidence.item_id)
    return evidence


def get_public_workspace(organisation_id, year):
    """The public OIT page's workspace; 404 unless an admin has published it. Looked up through
    `__pk` so that an out-of-range number from the URL is a 404, as for the public page."""
    return get_object_or_404(
        Workspace.objects.select_related("organisation", "fiscal_year").filter(is_public=True),
        organisation__pk=organisation_id, fiscal_year__pk=year,
    )
