"""`notify`: the one call the domain apps make when something happens that people should know.

Who may receive a kind is decided here, from the accounts' memberships (read through the user
model, so that this app imports no domain app): the active members of the organisation whose
role is one of the kind's roles and who have set a password of their own (a pending invitee's
mail is their invitation). `units` and `users` narrow that set, never widen it: nobody is
told about another organisation, whatever the caller passes.

The notifications are written at once; the e-mail and the LINE push are sent by a Celery task
once the transaction commits (eagerly, in the same process, when there is no broker).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from .kinds import KINDS
from .models import Notification
from .tasks import deliver


def recipients(kind, organisation, *, units=None, users=None, exclude=None):
    """The users who receive `kind` about `organisation`: see the module's docstring."""
    kind = KINDS[getattr(kind, "key", kind)]
    found = (
        get_user_model().objects.filter(
            is_active=True, membership__organisation=organisation, membership__role__in=kind.roles
        )
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .exclude(password="")
    )
    if units is not None:
        found = found.filter(membership__units__in=list(units)).distinct()
    if users is not None:
        found = found.filter(pk__in=[getattr(user, "pk", user) for user in users])
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("pk")


def notify(*, kind, organisation, text, link="", body="", units=None, users=None, exclude=None):
    """Tell the receivers of `kind` (narrowed by `units`, `users`, less `exclude`, the person
    who acted) `text`, linking to `link` (a path of the portal); returns the notifications made.
    `body`, when given, is the e-mail's text in place of `text`."""
    kind = KINDS[getattr(kind, "key", kind)]
    made = Notification.objects.bulk_create([
        Notification(recipient=user, organisation_id=organisation.pk, kind=kind.key, text=text[:500],
                     body=body, link=link)
        for user in recipients(kind, organisation, units=units, users=users, exclude=exclude)
    ])
    if made:
        deliver.delay_on_commit([notification.pk for notification in made])
    return made


def notify_each(*, kind, organisation, messages):
    """One notification per person, each with its own text: `messages` are (user, text, body,
    link). People who may not receive `kind` about `organisation` are left out, as by `notify`."""
    kind = KINDS[getattr(kind, "key", kind)]
    allowed = set(recipients(kind, organisation, users=[user for user, *_rest in messages]).values_list("pk", flat=True))
    made = Notification.objects.bulk_create([
        Notification(recipient=user, organisation_id=organisation.pk, kind=kind.key, text=text[:500], body=body,
                     link=link)
        for user, text, body, link in messages if user.pk in allowed
    ])
    if made:
        deliver.delay_on_commit([notification.pk for notification in made])
    return made
