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
