"""Writes about people that span several models: a user with their membership and units, a role
change that must leave the organisation an admin, a deactivation.

A person's username is their e-mail address (lower case): it is what the invitation tells them
and what they type at sign-in, and an address is used by one person only.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from .models import Membership

NAME_MAX_LENGTH = 150
# The address is the username, which Django's user keeps in 150 characters.
EMAIL_MAX_LENGTH = 150


@dataclass
class NewPerson:
    organisation: object
    name: str
    email: str
    role: str
    units: list = field(default_factory=list)


def split_name(name):
    """("สมชาย", "ใจดี") from "สมชาย  ใจดี": the first word and the rest, as Django's user
    keeps them; get_full_name() joins them back."""
    words = re.sub(r"\s+", " ", name).strip().split(" ", 1)
    return words[0], words[1] if len(words) > 1 else ""


def emails_in_use(emails, *, except_user=None):
    """Which of these addresses (lower case) an existing user (other than `except_user`) has as
    e-mail or username."""
    emails = {email.lower() for email in emails}
    users = get_user_model().objects.annotate(e=Lower("email"), u=Lower("username"))
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
    return set(users.filter(e__in=emails).values_list("e", flat=True)) | set(
        users.filter(u__in=emails).values_list("u", flat=True)
    )


def people_create(new_people):
    """Users with unusable passwords and their memberships and units, in bulk: the caller
    sends the invitations (accounts/invitations.py) once the transaction has committed."""
    User = get_user_model()
    for person in new_people:
        Membership.check_units(person.organisation, person.units)
    users = []
    for person in new_people:
        first_name, last_name = split_name(person.name)
        user = User(username=person.email.lower(), email=person.email.lower(),
                    first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    memberships = Membership.objects.bulk_create([
        Membership(user=user, organisation=person.organisation, role=person.role)
        for user, person in zip(users, new_people)
    ])
    Membership.units.through.objects.bulk_create([
        Membership.units.through(membership=membership, unit=unit)
        for membership, person in zip(memberships, new_people) for unit in person.units
    ])
    return memberships


def _keeps_an_admin(membership):
    """Whether the organisation still has an active admin besides this member. Every admin seat
    of the organisation is locked first, and only then read again, so that two admins demoting
    or deactivating each other at the same moment cannot leave it without one."""
    seats = Membership.objects.filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
    list(seats.select_for_update().values_list("pk", flat=True))
    return seats.exclude(pk=membership.pk).filter(user__is_active=True).exists()


def _refuse_losing_the_last_admin(membership):
    if membership.is_admin and membership.user.is_active and not _keeps_an_admin(membership):
        raise ValidationError(
            _("หน่วยงานต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน: เพิ่มหรือเปิดใช้ผู้ดูแลระบบอีกคนก่อน"),
            code="last_admin",
        )


@transaction.atomic
def person_update(*, membership, name, role, units, email=None):
    """Change a member's name, role, units (units of their own organisation only) and, when
    given, e-mail address. A username that is the address (as invitations make it) follows it;
    another username (the demo accounts') stays. The password is left alone: whether a pending
    invitation is to be sent again to the new address is the caller's (returns True then)."""
    Membership.check_units(membership.organisation, units)
    if role != Membership.Role.ADMIN:
        _refuse_losing_the_last_admin(membership)
    user = membership.user
    user.first_name, user.last_name = split_name(name)
    fields = ["first_name", "last_name"]
    new_address = email is not None and email.lower() != user.email.lower()
    if new_address:
        if user.username.lower() == user.email.lower():
            user.username = email.lower()
            fields.append("username")
        user.email = email.lower()
        fields.append("email")
    user.save(update_fields=fields)
    membership.role = role
    membership.save(update_fields=["role"])
    membership.units.set(units)
    return new_address and membership.invitation_pending and user.is_active


@transaction.atomic
def person_set_active(*, membership, active, by):
    """Deactivate (they can no longer sign in, and are signed out) or reactivate a member."""
    if not active:
        if membership.user_id == by.pk:
            raise ValidationError(_("ระงับบัญชีของตนเองไม่ได้: ขอให้ผู้ดูแลระบบอีกคนดำเนินการ"), code="self")
        _refuse_losing_the_last_admin(membership)
    membership.user.is_active = active
    membership.user.save(update_fields=["is_active"])
