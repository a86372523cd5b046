"""Writes of the OIT workspace that span several rows or carry a rule: starting a year, preparing
an item (which sends its review back to be done again) and reviewing it."""

from django.db import transaction
from django.utils import timezone

from assessments.models import QuestionCode

from . import notices
from .loaders import load_criteria
from .models import EvidenceFile, Item, Link, Workspace


@transaction.atomic
def workspace_start(*, organisation, fiscal_year):
    """The organisation's workspace of the year with one item per OIT code of the year's list
    (the reference data); an existing workspace gains the items the list has gained since."""
    load_criteria(year=fiscal_year.pk)
    workspace, _created = Workspace.objects.get_or_create(organisation=organisation, fiscal_year=fiscal_year)
    have = set(workspace.items.values_list("question_id", flat=True))
    for question in QuestionCode.objects.filter(fiscal_year=fiscal_year, tool="OIT").exclude(pk__in=have):
        Item.objects.create(workspace=workspace, question=question)  # one by one: each in the audit log
    return workspace


def _prepared(item, user, changed=()):
    """What every change of an item's content does: its preparer is now `user`, and a review
    given before the change no longer says anything about it. Saved with the `changed` fields,
    so that one change is one entry of the audit log."""
    item.prepared_by = user
    fields = [*changed, "prepared_by", "updated_at"]
    if item.review:
        item.review, item.review_comment, item.reviewed_by, item.reviewed_at = "", "", None, None
        fields += ["review", "review_comment", "reviewed_by", "reviewed_at"]
    item.save(update_fields=fields)


@transaction.atomic
def item_set_status(*, item, status, user):
    if item.status == status:
        return
    item.status = status
    _prepared(item, user, ["status"])


@transaction.atomic
def link_add(*, item, url, user):
    link = Link.objects.create(item=item, url=url, added_by=user)
    _prepared(item, user)
    return link


@transaction.atomic
def link_delete(*, link, user):
    item = link.item
    link.delete()
    _prepared(item, user)


@transaction.atomic
def file_add(*, item, upload, name, content_type, user):
    evidence = EvidenceFile.objects.create(item=item, file=upload, file_name=name, file_type=content_type,
                                           uploaded_by=user)
    _prepared(item, user)
    return evidence


@transaction.atomic
def file_delete(*, evidence, user):
    item = evidence.item
    stored = evidence.file
    evidence.delete()
    _prepared(item, user)
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


def item_review(*, item, verdict, comment, user):
    """Record the internal review; the database refuses a review by the item's preparer. A new
    ไม่ผ่าน (not the same verdict and comment saved again) is told to the item's people."""
    newly_failed = verdict == Item.Review.FAILED and (item.review, item.review_comment) != (verdict, comment)
    item.review, item.review_comment, item.reviewed_by, item.reviewed_at = verdict, comment, user, timezone.now()
    item.save(update_fields=["review", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    if newly_failed:
        notices.review_failed(item, by=user)
