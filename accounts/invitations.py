"""Invitations: a one-time link by e-mail with which a new person sets their own password.

Built on Django's password-reset tokens, with a salt of their own so that a password-reset token
is never an invitation and the other way round. A token is an HMAC of the user's id, password
hash, last sign-in and e-mail with the time it was made: it is stored nowhere, it expires after
INVITATION_TIMEOUT_DAYS, and it stops working once the password is set (the hash changes) or a
new invitation is sent (a resend gives the user a fresh unusable password, which voids every
earlier link). Until then the user has an unusable password: nobody, the admin included, is ever
sent or shown a password.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from lib.http import portal_base_url
from lib.thai import thai_date
from notifications import kinds
from notifications.delivery import notify

from .models import Membership

logger = logging.getLogger(__name__)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.invitations.InvitationTokenGenerator"

    def check_token(self, user, token):
        """Django's check, with the invitation's lifetime in place of PASSWORD_RESET_TIMEOUT
        (which Django's own check reads and which is for password resets)."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= invitation_lifetime().total_seconds()


invitation_tokens = InvitationTokenGenerator()


def invitation_lifetime():
    return timedelta(days=settings.INVITATION_TIMEOUT_DAYS)


# Where `manage.py runserver` answers: the address of mail sent with no setting and no request.


def invitation_link(user, base_url=None):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return (base_url or portal_base_url()) + reverse("invitation", args=[uid, invitation_tokens.make_token(user)])


def _message(membership, invited_by, expires, base_url):
    user = membership.user
    context = {
        "name": user.get_full_name() or user.username,
        "username": user.username,
        "organisation": membership.organisation.name,
        "role": membership.get_role_display(),
        "invited_by": (invited_by.get_full_name() or invited_by.username) if invited_by else "",
        "link": invitation_link(user, base_url),
        "expires": thai_date(timezone.localtime(expires).date()),
        "days": settings.INVITATION_TIMEOUT_DAYS,
        "portal": base_url,
    }
    subject = f"คำเชิญเข้าใช้ ITA Portal: {membership.organisation}"
    return EmailMessage(subject, render_to_string("accounts/invitation_email.txt", context), to=[user.email])


def invitations_send(memberships, *, invited_by=None, request=None):
    """Send each member a new invitation (in Thai, in one connection); returns the members whose
    e-mail could not be sent, for the page to say so. The links start with portal_base_url(request). Earlier links of these members stop
    working: each gets a fresh unusable password before the new link is made from it."""
    memberships = list(memberships)
    now = timezone.now()
    users = [membership.user for membership in memberships]
    for user, membership in zip(users, memberships):
        user.set_unusable_password()
        membership.invited_at, membership.invited_by = now, invited_by
    get_user_model().objects.bulk_update(users, ["password"])
    Membership.objects.bulk_update(memberships, ["invited_at", "invited_by"])
    with translation.override("th"):
        base_url = portal_base_url(request)
        messages = [(membership, _message(membership, invited_by, now + invitation_lifetime(), base_url))
                    for membership in memberships]
    failed = []
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.exception("cannot open the e-mail connection for %s invitations", len(messages))
        return memberships
    try:
        for membership, message in messages:
            try:
                message.connection = connection
                message.send()
            except Exception:
                logger.exception("invitation e-mail to %s failed", membership.user.email)
                failed.append(membership)
    finally:
        connection.close()
    return failed


def invitation_accepted(user):
    """Tell the admin who sent the invitation (the organisation's admins when nobody of it did,
    as for an organisation's first admin) that this person has set their password."""
    membership = getattr(user, "membership", None)
    if membership is None:
        return
    sender = membership.invited_by
    sender_membership = getattr(sender, "membership", None) if sender else None
    sender_of_organisation = sender_membership and sender_membership.organisation_id == membership.organisation_id
    name = user.get_full_name() or user.username
    with translation.override("th"):
        role = membership.get_role_display()
    notify(
        kind=kinds.INVITATION_ACCEPTED, organisation=membership.organisation,
        users=[sender] if sender_of_organisation else None, exclude=user,
        text=f"{name} ({role}) รับคำเชิญและเข้าใช้งานแล้ว",
        link=reverse("people"),
    )
