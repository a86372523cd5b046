"""Two-factor sign-in (accounts/two_factor.py): turning it on and off, the code after the
password, backup codes, throttled wrong codes, organisations requiring it of their admins,
and HTMX requests sent to the code page as a page."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import BACKUP_CODES

PASSWORD = "pw-for-tests-2569"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/plan/2569/"}


def code_of(device, offset=0):
    """The code the authenticator app shows now (offset steps of 30 s away)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def sign_in(username="staff", password=PASSWORD):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client, response


@pytest.fixture
def device(personas):
    """staff with two-factor sign-in on: an app and ten backup codes."""
    device = TOTPDevice.objects.create(user=personas["staff"], name="app", confirmed=True)
    backup = StaticDevice.objects.create(user=personas["staff"], name="backup")
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=f"backup{n:02d}") for n in range(3))
    return device


def test_without_two_factor_the_password_is_enough(personas, assessment):
    client, response = sign_in()
    assert response["Location"] == reverse("home")
    assert client.get(reverse("measures:plan", args=[2569])).status_code == 200


def test_with_a_device_no_page_opens_until_the_code_is_given(device, assessment):
    client, _response = sign_in()
    response = client.get(reverse("measures:plan", args=[2569]))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_verify") + "?next=%2Fplan%2F2569%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "พิมพ์รหัส 6 หลักจากแอปยืนยันตัวตน" in page.content.decode()
    answer = client.post(reverse("two_factor_verify"), {"code": code_of(device), "next": "/plan/2569/"})
    assert answer.status_code == 302 and answer["Location"] == "/plan/2569/"
    assert client.get(reverse("measures:plan", args=[2569])).status_code == 200


def test_a_wrong_code_is_refused_in_thai_and_the_next_try_must_wait(device, assessment):
    client, _response = sign_in()
    wrong = client.post(reverse("two_factor_verify"), {"code": code_of(device, offset=5)})
    assert wrong.status_code == 422
    assert "ใส่รหัสผิดหลายครั้ง กรุณารอ" in wrong.content.decode()
    # Throttled: even the right code is refused until the wait is over (1 s after one failure).
    right_too_soon = client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    assert right_too_soon.status_code == 422
    assert client.get(reverse("measures:plan", args=[2569])).status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timezone.timedelta(seconds=5))
    assert client.post(reverse("two_factor_verify"), {"code": code_of(device)}).status_code == 302
    assert client.get(reverse("measures:plan", args=[2569])).status_code == 200


def test_the_wait_doubles_after_each_wrong_code(device):
    client, _response = sign_in()
    wrong = "000000" if code_of(device) != "000000" else "111111"
    for _ in range(3):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # no waiting
        client.post(reverse("two_factor_verify"), {"code": wrong})
    device.refresh_from_db()
    allowed, details = device.verify_is_allowed()
    assert (allowed, device.throttling_failure_count) == (False, 3)
    assert (details["locked_until"] - device.throttling_failure_timestamp).total_seconds() == 4  # 1, 2, 4


def test_a_backup_code_works_once(device, assessment):
    client, _response = sign_in()
    response = client.post(reverse("two_factor_verify"), {"code": "BACKUP01"}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[0] == (reverse("home"), 302)
    assert "ใช้รหัสสำรองแล้ว เหลืออีก 2 รหัส" in response.content.decode()
    again, _response = sign_in()
    assert again.post(reverse("two_factor_verify"), {"code": "backup01"}).status_code == 422


def test_an_htmx_request_before_the_code_is_sent_to_the_code_page(device, assessment, palad):
    from .conftest import make_measure

    row = make_measure(assessment, [palad])
    client, _response = sign_in()
    response = client.get(reverse("measures:edit", args=[row.pk]), **HTMX)
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == reverse("two_factor_verify") + "?next=%2Fplan%2F2569%2F"


def test_an_outside_next_address_is_ignored(device):
    client, _response = sign_in()
    response = client.post(reverse("two_factor_verify"), {"code": code_of(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_signing_out_is_open_before_the_code(device):
    client, _response = sign_in()
    assert client.post(reverse("logout"))["Location"] == reverse("login")


# Turning it on and off

def test_a_user_turns_it_on_by_scanning_and_confirming_and_sees_the_backup_codes_once(personas, assessment):
    client, _response = sign_in("test_executive")
    page = client.get(reverse("two_factor_setup"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "style=" not in html.split("<svg", 1)[1].split("</svg>")[0]
    pending = TOTPDevice.objects.get(user=personas["executive"])
    assert pending.confirmed is False
    assert "otpauth://totp/ITA%20Portal%3Atest_executive?secret=" in html
    assert re.search(r"<code[^>]*>([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>", html)  # the secret as text
    assert client.post(reverse("two_factor_setup"), {"code": code_of(pending, offset=9)}).status_code == 422
    TOTPDevice.objects.filter(pk=pending.pk).update(throttling_failure_timestamp=None)  # the 1 s wait is over
    response = client.post(reverse("two_factor_setup"), {"code": code_of(pending)})
    assert response["Location"] == reverse("two_factor_backup_codes")
    codes_page = client.get(reverse("two_factor_backup_codes")).content.decode()
    codes = StaticToken.objects.filter(device__user=personas["executive"]).values_list("token", flat=True)
    assert len(codes) == BACKUP_CODES and all(code in codes_page for code in codes)
    assert client.get(reverse("two_factor_backup_codes"))["Location"] == reverse("two_factor")  # once only
    pending.refresh_from_db()
    assert pending.confirmed
    # The session that set it up is verified; the next sign-in asks for a code.
    assert client.get(reverse("dashboard:latest")).status_code == 200
    later, response = sign_in("test_executive")
    assert later.get(reverse("dashboard:latest"))["Location"].startswith(reverse("two_factor_verify"))


def test_new_backup_codes_replace_the_old_ones(device):
    client, _response = sign_in()
    client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    assert client.post(reverse("two_factor_backup_codes"))["Location"] == reverse("two_factor_backup_codes")
    tokens = list(StaticToken.objects.filter(device__user=device.user).values_list("token", flat=True))
    assert len(tokens) == BACKUP_CODES and "backup01" not in tokens


@pytest.mark.parametrize("proof", ["code", "backup code"])
def test_a_user_turns_it_off_with_a_code_from_the_app_or_a_backup_code(device, proof):
    client, _response = sign_in()
    client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the code may be used again in this test
    data = {"code": code_of(device)} if proof == "code" else {"code": "backup02"}
    response = client.post(reverse("two_factor_disable"), data, follow=True)
    assert "ปิดการยืนยันตัวตนสองขั้นตอนแล้ว" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    assert not StaticDevice.objects.filter(user=device.user).exists()


@pytest.mark.parametrize("data", [{"password": PASSWORD}, {"code": "000000", "password": PASSWORD}, {"code": "wrong"}])
def test_turning_it_off_needs_a_current_code_never_the_password(device, data):
    client, _response = sign_in()
    client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    if data.get("code") == "000000" and code_of(device) == "000000":
        data = {**data, "code": "111111"}
    response = client.post(reverse("two_factor_disable"), data, follow=True)
    html = response.content.decode()
    assert "ยังไม่ได้ปิดการยืนยันตัวตนสองขั้นตอน" in html or "กรุณารอ" in html
    assert TOTPDevice.objects.filter(user=device.user).exists()
    assert StaticToken.objects.filter(device__user=device.user).count() == 3


# A session that owes its code: the password alone opens nothing that protects the account

def test_an_unverified_session_cannot_make_backup_codes(device):
    client, _response = sign_in()
    made = client.post(reverse("two_factor_backup_codes"))
    assert made["Location"].startswith(reverse("two_factor_verify"))
    shown = client.get(reverse("two_factor_backup_codes"))
    assert shown["Location"].startswith(reverse("two_factor_verify"))
    tokens = sorted(StaticToken.objects.filter(device__user=device.user).values_list("token", flat=True))
    assert tokens == ["backup00", "backup01", "backup02"]  # the owner's codes stand
    assert client.get(reverse("measures:plan", args=[2569]))["Location"].startswith(reverse("two_factor_verify"))


def test_an_unverified_session_cannot_turn_it_off_with_the_password(device):
    client, _response = sign_in()
    response = client.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=device.user).exists()
    assert StaticDevice.objects.filter(user=device.user).exists()
    assert client.get(reverse("measures:plan", args=[2569]))["Location"].startswith(reverse("two_factor_verify"))


def test_an_unverified_admin_cannot_lift_the_organisations_requirement(personas, org):
    device = TOTPDevice.objects.create(user=personas["org_admin"], name="app", confirmed=True)
    org.admins_need_two_factor = True
    org.save()
    client, _response = sign_in("org_admin")
    for data in ({}, {"admins_need_two_factor": ""}, {"anything": "x"}):
        response = client.post(reverse("two_factor_organisation"), data)
        assert response["Location"].startswith(reverse("two_factor_verify"))
    org.refresh_from_db()
    assert org.admins_need_two_factor
    client.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_views_check_the_session_even_behind_another_middleware(device, settings, rf):
    """Making codes, turning it off and the requirement refuse an unverified session in the
    view too, so that a page moved out from behind the middleware stays closed."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "two_factor" not in m]
    client, _response = sign_in()
    assert client.post(reverse("two_factor_backup_codes"))["Location"].startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_disable"), {"password": PASSWORD})["Location"].startswith(
        reverse("two_factor_verify"))
    assert StaticToken.objects.filter(device__user=device.user).count() == 3
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_session_that_owes_a_code_does_not_reach_the_set_up_page(device):
    client, _response = sign_in()
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("two_factor"))["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=device.user).count() == 1


# An organisation requiring it of its admins

def test_an_organisation_admin_requires_it_and_is_sent_to_set_it_up_first(personas, org, assessment):
    client, _response = sign_in("org_admin")
    response = client.post(reverse("two_factor_organisation"), {"admins_need_two_factor": "on"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.admins_need_two_factor
    for page in (reverse("measures:plan", args=[2569]), reverse("reports:index"), "/admin/"):
        assert client.get(page)["Location"] == reverse("two_factor_setup"), page
    assert "กำหนดให้ผู้ดูแลระบบใช้การยืนยันตัวตนสองขั้นตอน" in client.get(reverse("two_factor_setup")).content.decode()


def test_a_required_admin_without_a_device_is_sent_to_set_up_at_sign_in(personas, org, assessment):
    org.admins_need_two_factor = True
    org.save()
    client, _response = sign_in("org_admin")
    assert client.get(reverse("home"))["Location"] == reverse("two_factor_setup")
    htmx = client.get(reverse("measures:plan", args=[2569]), **HTMX)
    assert htmx["HX-Redirect"] == reverse("two_factor_setup")
    # Staff and executives of the organisation are not required to.
    staff, _response = sign_in("staff")
    assert staff.get(reverse("measures:plan", args=[2569])).status_code == 200
    # Another organisation's admins neither.
    outsider, _response = sign_in("outsider")
    assert outsider.get(reverse("home")).status_code == 200


def test_a_required_admin_cannot_turn_it_off(personas, org):
    device = TOTPDevice.objects.create(user=personas["org_admin"], name="app", confirmed=True)
    org.admins_need_two_factor = True
    org.save()
    client, _response = sign_in("org_admin")
    client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    response = client.post(reverse("two_factor_disable"), {"password": PASSWORD}, follow=True)
    assert "จึงปิดไม่ได้" in response.content.decode()
    assert TOTPDevice.objects.filter(user=personas["org_admin"]).exists()


def test_staff_cannot_change_the_organisations_requirement(personas, org, client_for):
    response = client_for("staff").post(reverse("two_factor_organisation"), {"admins_need_two_factor": "on"})
    assert response.status_code == 403
    org.refresh_from_db()
    assert not org.admins_need_two_factor


def test_platform_staff_set_the_requirement_in_the_django_admin(org, client):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    page = client.get(reverse("admin:assessments_organisation_change", args=[org.pk])).content.decode()
    assert 'name="admins_need_two_factor"' in page


def test_pages_without_two_factor_cost_no_query_more(personas, assessment, client_for, settings):
    """What a session owes is kept in the session: for users without two-factor sign-in the
    two middlewares read nothing, so every page's pinned query count stands."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_of_the_plan_page():
        client = client_for("staff")
        client.get(reverse("measures:plan", args=[2569]))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("measures:plan", args=[2569])).status_code == 200
        return len(queries)

    with_two_factor = queries_of_the_plan_page()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "otp" not in m.lower() and "two_factor" not in m]
    assert queries_of_the_plan_page() == with_two_factor
