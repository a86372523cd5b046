"""What the NACC's assessors open: each item's URLs, the portal's own documents for the items
that are the improvement plan and its report, and the .xlsx list for the submission."""

import io
from itertools import groupby

import xlsxwriter
from django.urls import reverse

from measures.models import Plan

EXPORT_COLUMNS = [("ข้อ", 8), ("หัวข้อ", 70), ("URL", 70)]


def portal_documents(workspace):
    """{Criteria.PortalDocument value: path} of the documents the portal publishes itself for the
    workspace's year, once they exist: the plan carried out in that year, approved, on its public
    page; its progress, once the plan is reported on. Empty while the page is not public."""
    plan = Plan.objects.select_related("assessment").filter(
        assessment__organisation_id=workspace.organisation_id, fiscal_year_id=workspace.fiscal_year_id
    ).first()
    if plan is None or not plan.assessment.is_public:
        return {}
    path = reverse("public:page", args=[workspace.organisation_id, plan.assessment.fiscal_year_id])
    found = {}
    if plan.state in (Plan.State.APPROVED, Plan.State.REPORTED):
        found["plan"] = path
    if plan.state == Plan.State.REPORTED:
        found["progress"] = path
    return found


def item_urls(item, documents, absolute=lambda path: path):
    """The URLs published for an item: its links, then the portal's document for it, if any."""
    urls = [link.url for link in item.links.all()]
    criteria = item.criteria
    if criteria is not None and criteria.portal_document in documents:
        urls.append(absolute(documents[criteria.portal_document]))
    return urls


def grouped(items):
    """The items (in order) grouped by sub-indicator, or by indicator where the year's list has
    no sub-indicators: [(heading, [item, ...]), ...]."""
    def heading(item):
        sub = item.question.sub_indicator
        return str(sub) if sub else str(item.question.indicator)

    return [(name, list(group)) for name, group in groupby(items, key=heading)]


def checklist_xlsx(items, documents, absolute=lambda path: path):
    """The list as the submission asks: ข้อ, หัวข้อ, URL (several URLs of one item on lines of one cell)."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_urls": False, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("OIT")
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for column, (title, width) in enumerate(EXPORT_COLUMNS):
        sheet.write_string(0, column, title, bold)
        sheet.set_column(column, column, width)
    for row, item in enumerate(items, start=1):
        sheet.write_string(row, 0, item.code.upper(), wrap)
        sheet.write_string(row, 1, item.question.title, wrap)
        sheet.write_string(row, 2, "\n".join(item_urls(item, documents, absolute)), wrap)
    workbook.close()
    return out.getvalue()
