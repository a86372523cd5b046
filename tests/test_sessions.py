"""Sessions end after 30 minutes idle and 12 hours in any case; HTMX requests that find no
session are sent to the sign-in page as a page; changing a password ends the other sessions;
password rules; demo accounts only with DEBUG on."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from ita_portal.management.commands.create_demo_users import AREA_OFFICE, DEMO_MEMBERS, PLATFORM
from accounts.sessions import LAST_SEEN, SIGNED_IN_AT

from .conftest import make_measure

PASSWORD = "pw-for-tests-2569"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/plan/2569/?unit=1"}


def signed_in(username="staff"):
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def age(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def is_signed_in(client):
    return "_auth_user_id" in client.session


def test_a_session_carries_when_it_began(personas):
    client = signed_in()
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 60
    assert client.session[LAST_SEEN] == client.session[SIGNED_IN_AT]


def test_a_session_idle_for_more_than_30_minutes_ends(personas, assessment):
    client = signed_in()
    age(client, last_seen=31 * 60)
    response = client.get(reverse("measures:plan", args=[2569]))
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fplan%2F2569%2F"
    assert not is_signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "หมดเวลาการใช้งาน" in page


def test_a_session_used_within_30_minutes_goes_on_and_counts_from_now(personas, assessment):
    client = signed_in()
    age(client, last_seen=29 * 60)
    assert client.get(reverse("measures:plan", args=[2569])).status_code == 200
    assert is_signed_in(client) and time.time() - client.session[LAST_SEEN] < 60


def test_the_idle_limit_is_a_setting(personas, assessment, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    client = signed_in()
    age(client, last_seen=6 * 60)
    assert client.get(reverse("measures:plan", args=[2569])).status_code == 302
    assert not is_signed_in(client)


def test_a_session_ends_12_hours_after_signing_in_however_busy(personas, assessment):
    client = signed_in()
    age(client, signed_in_at=12 * 3600 + 1, last_seen=10)
    assert client.get(reverse("measures:plan", args=[2569])).status_code == 302
    assert not is_signed_in(client)


def test_the_cookie_lasts_as_long_as_the_idle_limit_and_a_minute(settings):
    assert (settings.SESSION_IDLE_TIMEOUT_MINUTES, settings.SESSION_MAX_AGE_HOURS) == (30, 12)
    assert settings.SESSION_COOKIE_AGE == 31 * 60


def test_the_last_request_time_is_written_at_most_once_a_minute(personas, assessment):
    """Saving the session on every request would write its row on every page."""
    client = signed_in()
    age(client, last_seen=20)
    before = client.session[LAST_SEEN]
    client.get(reverse("measures:plan", args=[2569]))
    assert client.session[LAST_SEEN] == before


@pytest.fixture
def row(assessment, palad):
    return make_measure(assessment, [palad])


def test_an_htmx_request_after_expiry_sends_the_browser_to_sign_in(personas, row):
    """Not the sign-in page inside the table row: HX-Redirect to it, back to the page."""
    client = signed_in()
    age(client, last_seen=31 * 60)
    response = client.get(reverse("measures:edit", args=[row.pk]), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login") + "?next=%2Fplan%2F2569%2F%3Funit%3D1"
    assert response.content == b""
    assert not is_signed_in(client)


def test_an_htmx_request_without_a_session_is_sent_to_sign_in_too(client, row):
    response = client.post(reverse("measures:edit", args=[row.pk]), {}, **HTMX)
    assert response["HX-Redirect"] == reverse("login") + "?next=%2Fplan%2F2569%2F%3Funit%3D1"
    assert b"<form" not in response.content


def test_an_ordinary_request_without_a_session_still_gets_the_plain_redirect(client, row):
    response = client.get(reverse("measures:edit", args=[row.pk]))
    assert response.status_code == 302 and "HX-Redirect" not in response


# Changing a password

def change(client, new, old=PASSWORD):
    return client.post(reverse("password_change"),
                       {"old_password": old, "new_password1": new, "new_password2": new})


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(personas, assessment):
    here, elsewhere = signed_in(), signed_in()
    new = "ทุ่งนาเขียวขจี-2569"
    response = here.post(reverse("password_change"),
                         {"old_password": PASSWORD, "new_password1": new, "new_password2": new}, follow=True)
    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert "เปลี่ยนรหัสผ่านแล้ว การเข้าสู่ระบบจากเครื่องอื่นของท่านสิ้นสุดลงทั้งหมด" in response.content.decode()
    assert here.get(reverse("measures:plan", args=[2569])).status_code == 200
    response = elsewhere.get(reverse("measures:plan", args=[2569]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not is_signed_in(elsewhere)
    assert Client().post(reverse("login"), {"username": "staff", "password": new}).status_code == 302
    assert Client().post(reverse("login"), {"username": "staff", "password": PASSWORD}).status_code == 200


def test_the_password_page_is_in_every_signed_in_users_menu(personas, client_for):
    page = client_for("executive").get(reverse("password_change")).content.decode()
    assert "เปลี่ยนรหัสผ่าน" in page and "รหัสผ่านต้องมีอย่างน้อย 10 ตัวอักษร" in page
    assert f'href="{reverse("password_change")}"' in page


@pytest.mark.parametrize("new, message", [
    ("สั้น-2569", "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 10 ตัวอักษร"),
    ("password123", "รหัสผ่านนี้มีผู้ใช้กันมาก"),
    ("1234509876", "รหัสผ่านเป็นตัวเลขทั้งหมด"),
    ("other_staff1", "รหัสผ่านคล้ายชื่อผู้ใช้มากเกินไป"),
])
def test_a_weak_new_password_is_refused_in_thai(personas, new, message):
    client = signed_in("other_staff")
    response = change(client, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert get_user_model().objects.get(username="other_staff").check_password(PASSWORD)


def test_a_wrong_old_password_is_refused_in_thai(personas):
    response = change(signed_in(), "ทุ่งนาเขียวขจี-2569", old="wrong")
    assert "รหัสผ่านเดิมไม่ถูกต้อง" in response.content.decode()


def test_the_demo_passwords_meet_the_rules():
    for username, password, *_rest in [*DEMO_MEMBERS, AREA_OFFICE, PLATFORM]:
        validate_password(password, get_user_model()(username=username, email=f"{username}@wangmi.example.go.th"))


def test_a_password_of_nine_characters_is_too_short(db):
    with pytest.raises(ValidationError):
        validate_password("ก" * 9)
    validate_password("ทุ่งนาเขียวข")


def test_demo_accounts_are_refused_with_debug_off(db, settings):
    settings.DEBUG = False
    before = set(get_user_model().objects.values_list("username", flat=True))
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_users")
    assert set(get_user_model().objects.values_list("username", flat=True)) == before
    # With the flag it goes on (and stops here only because the seed is not loaded).
    with pytest.raises(CommandError, match="load_seed"):
        call_command("create_demo_users", "--even-without-debug")
