"""Every URL of the project, asked by a session that still owes its two-factor code (or its
device): only the pages a code cannot be given without answer; every other page, the ones added
after this test was written included, sends the session to the code page (or the set-up page),
or refuses it without content, and changes nothing in the database.

The URLs come from the project's resolver, not from a list: a new page is walked as soon as it
exists. Its path parameters are filled with the ids of the test data (every id for `pk`, so that a
page of any model meets one of its own rows); a parameter
with a name this file does not know fails the test until it is added to VALUES below.
"""

import re
from itertools import product

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership
from accounts.two_factor import OWED, SET_UP, VERIFY

from .conftest import make_user
from .test_permission_matrix import World

PASSWORD = "pw-for-tests-2569"
# The pages a session that owes something may reach (the code page, signing out, the language
# switch, the health check; static files are served by WhiteNoise before any URL), and the
# set-up page for a session that owes a device.
OPEN = {"two_factor_verify", "logout", "set_language", "healthz"}
OPEN_WHEN_OWING_A_DEVICE = {"two_factor_setup"}
GROUP = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<regex_name>\w+)>[^)]*\)")


def patterns(resolvers=None, prefix="", namespace=""):
    """(name or "", route) of every URL of the project, routes as written (converters and
    regular-expression groups still in them)."""
    for entry in get_resolver().url_patterns if resolvers is None else resolvers:
        route = str(entry.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry.url_patterns, prefix + route, inner)
        else:
            yield (f"{namespace}{entry.name}" if entry.name else ""), prefix + route


def paths(route, values):
    """Every path `route` gives with the values of its parameters."""
    names = [match["name"] or match["regex_name"] for match in GROUP.finditer(route)]
    unknown = [name for name in names if name not in values]
    assert not unknown, f"{route}: add a value for {unknown} to VALUES"
    for chosen in product(*(values[name] for name in names)):
        filled = iter(str(value) for value in chosen)
        yield "/" + GROUP.sub(lambda match: next(filled), route)


class Walk:
    def __init__(self, world, personas):
        w = world
        ids = sorted({w.measure.pk, w.binned.pk, w.note.pk, w.finding.pk, w.job.pk, w.running_job.pk,
                      w.preview_job.pk, w.person.pk, w.pending.pk, w.palad.pk, w.klang.pk, w.org.pk,
                      w.assessment.pk, *(user.pk for user in w.users.values())})
        self.values = {
            # The Django admin's pages are one per model: one id each is enough.
            "pk": ids, "object_id": ids[:1], "year": [2568, 2569], "organisation": [w.org.pk], "number": [9],
            "finding_pk": [w.finding.pk], "member": [w.pending.pk], "kind": ["measure", "note"],
            "dataset": ["scores", "plan"], "fmt": ["csv"], "uidb64": [w.invitation_args[0], w.reset_args[0]],
            "token": [w.invitation_args[1]], "app_label": ["accounts"], "content_type_id": [1], "id": ids[:1],
            "url": ["anything/"],
        }
        # An admin whose organisation requires two-factor sign-in, with a device: owes a code.
        w.org.admins_need_two_factor = True
        w.org.save(update_fields=["admins_need_two_factor"])
        TOTPDevice.objects.create(user=personas["org_admin"], name="app", confirmed=True)
        # A second admin of it, without a device: owes one.
        make_user("second_admin", w.org, Membership.Role.ADMIN)
        self.clients = {VERIFY: self.sign_in("org_admin"), SET_UP: self.sign_in("second_admin")}

    @staticmethod
    def sign_in(username):
        client = Client()
        assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
        return client


def fingerprint():
    """Every row of every table but the sessions'."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models() if model is not Session
    }


def refused(response, owed):
    """Sent to what the session owes, or refused with nothing in the answer."""
    if response.status_code == 302:
        target = reverse("two_factor_verify") if owed == VERIFY else reverse("two_factor_setup")
        if response["Location"].startswith(target):
            return True
    if response.get("HX-Redirect"):
        return False
    return response.status_code in (403, 404) and not b"".join(
        response.streaming_content if response.streaming else [response.content]).strip()


@pytest.fixture
def walk(personas, assessment, palad, klang, other_org):
    return Walk(World(personas, assessment, palad, klang, other_org), personas)


def test_a_session_that_owes_its_code_reaches_only_the_code_page(walk):
    found = list(patterns())
    names = {name for name, _route in found}
    assert OPEN | OPEN_WHEN_OWING_A_DEVICE <= names  # the open pages exist under these names
    before = fingerprint()
    opened, changed, walked = [], [], 0
    for name, route in found:
        with transaction.atomic():  # one URL's requests, then the database compared and rolled back
            for path, (owed, client), method in product(paths(route, walk.values), walk.clients.items(),
                                                        ("get", "post")):
                if name in OPEN or (owed == SET_UP and name in OPEN_WHEN_OWING_A_DEVICE):
                    continue
                response = getattr(client, method)(path)
                if not refused(response, owed):
                    opened.append((owed, method, path, response.status_code))
                assert client.session[OWED] == owed
                walked += 1
            if fingerprint() != before:
                changed.append(route)
            transaction.set_rollback(True)
    assert walked > 500  # every URL, both sessions, both methods
    assert opened == []
    assert changed == []


def test_a_session_that_owes_a_code_is_sent_from_the_set_up_page_to_the_code_page(walk):
    response = walk.clients[VERIFY].get(reverse("two_factor_setup"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(confirmed=False).count() == 0


def test_the_open_pages_answer_a_session_that_owes_its_code(walk):
    client = walk.clients[VERIFY]
    assert client.get(reverse("two_factor_verify")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert walk.clients[SET_UP].get(reverse("two_factor_setup")).status_code == 200
    assert client.post(reverse("logout"))["Location"] == reverse("login")
