"""The Thai sign-in page, and django-axes throttling repeated failures (and recording them)."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

LOGIN = reverse("login")


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_sign_in_page_is_thai(client, db):
    html = client.get(LOGIN).content.decode()
    assert "เข้าสู่ระบบ ITA Portal" in html and "ชื่อผู้ใช้" in html and "รหัสผ่าน" in html


def test_a_good_sign_in_lands_home_and_is_recorded(client, personas):
    response = sign_in(client, "staff", "pw-for-tests-2569")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session.get("_auth_user_id") == str(personas["staff"].pk)
    assert AccessLog.objects.filter(username="staff").count() == 1


def test_a_wrong_password_is_refused_in_thai_and_recorded(client, personas):
    response = sign_in(client, "staff", "wrong")
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 1


def test_repeated_failures_lock_the_username_out_even_with_the_right_password(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong")
    response = sign_in(client, "staff", "pw-for-tests-2569")
    assert response.status_code == 429
    html = response.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in html and "15 นาที" in html
    assert "_auth_user_id" not in client.session


def test_a_locked_out_username_does_not_lock_out_colleagues(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong")
    response = sign_in(client, "other_staff", "pw-for-tests-2569")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(personas["other_staff"].pk)


@pytest.mark.parametrize("failures", [1, 3])
def test_a_good_sign_in_clears_earlier_failures(client, personas, failures):
    for _ in range(failures):
        sign_in(client, "staff", "wrong")
    assert sign_in(client, "staff", "pw-for-tests-2569").status_code == 302
    assert not AccessAttempt.objects.filter(username="staff").exists()


def sign_in_from(client, address, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_attacker_giving_every_guess_a_new_address_is_locked_out_of_that_account(client, personas, settings):
    """Fewer than AXES_FAILURE_LIMIT guesses from each address, AXES_ACCOUNT_FAILURE_LIMIT in
    all: the account is locked from every address, the right password included."""
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 8
    answers = [sign_in_from(client, f"203.0.113.{n}", "staff", "wrong").status_code
               for n in range(settings.AXES_ACCOUNT_FAILURE_LIMIT)]
    assert answers == [200] * 7 + [429]  # the failure that reaches the limit is answered with the lockout
    response = sign_in_from(client, "198.51.100.7", "staff", "pw-for-tests-2569")
    assert response.status_code == 429
    html = response.content.decode()
    assert "จากหลายเครื่อง" in html and "จากทุกเครื่อง" in html and "8 ครั้ง" in html
    assert "_auth_user_id" not in client.session


def test_below_the_account_limit_the_owner_still_signs_in_from_elsewhere(client, personas, settings):
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 8
    for n in range(settings.AXES_ACCOUNT_FAILURE_LIMIT - 1):
        sign_in_from(client, f"203.0.113.{n}", "staff", "wrong")
    assert sign_in_from(client, "198.51.100.7", "staff", "pw-for-tests-2569").status_code == 302


def test_an_account_locked_from_every_address_does_not_lock_colleagues_at_the_same_address(client, personas,
                                                                                           settings):
    """No limit counts an address alone: the staff of one office share one public address."""
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 8
    for n in range(settings.AXES_ACCOUNT_FAILURE_LIMIT):
        sign_in_from(client, "203.0.113.1" if n % 2 else f"203.0.113.{n + 10}", "staff", "wrong")
    assert sign_in_from(client, "203.0.113.1", "staff", "pw-for-tests-2569").status_code == 429
    response = sign_in_from(client, "203.0.113.1", "other_staff", "pw-for-tests-2569")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(personas["other_staff"].pk)


def test_the_account_limit_is_higher_than_the_limit_per_address():
    from django.conf import settings

    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "username"]
    assert settings.AXES_ACCOUNT_FAILURE_LIMIT == 20 > settings.AXES_FAILURE_LIMIT == 5
