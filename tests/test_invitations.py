"""Invitations: a Thai e-mail with a one-time link to set one's own password (Django's token
machinery, a salt of its own, an expiry from INVITATION_TIMEOUT_DAYS); nobody is sent or shown a
password; a used, expired, superseded or altered link gets a Thai page that says what to do."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse

from accounts.invitations import invitation_tokens, invitations_send
from accounts.models import Membership
from accounts.services import NewPerson, people_create

LINK = re.compile(r"https?://\S+/accounts/invitation/\S+/")
PASSWORD = "ข้าวเหนียว-มะม่วง-2569"


@pytest.fixture
def invited(org, palad, settings):
    settings.PORTAL_BASE_URL = "https://ita.example.go.th"
    [membership] = people_create([NewPerson(org, "สมศรี  มีสุข", "Somsri@Example.go.th", Membership.Role.STAFF,
                                            [palad])])
    assert invitations_send([membership]) == []
    return membership


def link_in(message):
    return LINK.search(message.body).group(0)


def path_of(link):
    return link.removeprefix("https://ita.example.go.th")


def test_the_invitation_is_a_thai_email_with_the_portals_address_and_no_password(invited):
    [message] = mail.outbox
    assert message.to == ["somsri@example.go.th"]
    assert message.subject == "คำเชิญเข้าใช้ ITA Portal: อบต.ทดสอบ"
    body = message.body
    assert "เรียน สมศรี มีสุข" in body and "ชื่อผู้ใช้ของท่าน: somsri@example.go.th" in body
    assert "ในบทบาทเจ้าหน้าที่ ขององค์การบริหารส่วนตำบลทดสอบ" in body
    assert "ใช้ได้ครั้งเดียว และหมดอายุใน 7 วัน" in body
    assert link_in(message).startswith("https://ita.example.go.th/accounts/invitation/")
    assert "รหัสผ่าน:" not in body and "password" not in body.lower()


def test_until_the_link_is_used_the_user_has_no_usable_password(invited, client):
    user = invited.user
    assert not user.has_usable_password() and invited.invitation_pending
    response = client.post(reverse("login"), {"username": user.username, "password": ""})
    assert "_auth_user_id" not in client.session and response.status_code == 200


def test_the_link_sets_the_password_signs_in_and_lands_home(invited, client):
    link = path_of(link_in(mail.outbox[0]))
    response = client.get(link)
    # Django moves the token into the session so that it cannot leak in a Referer header.
    assert response.status_code == 302 and response["Location"].endswith("/set-password/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "ตั้งรหัสผ่านของท่าน" in html and "somsri@example.go.th" in html
    response = client.post(response["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD},
                           follow=True)
    assert response.redirect_chain[0][0] == reverse("home")
    assert response.redirect_chain[1][0] == reverse("measures:current")  # staff land on the plan
    assert "ตั้งรหัสผ่านแล้ว" in response.content.decode()
    user = get_user_model().objects.get(pk=invited.user_id)
    assert user.check_password(PASSWORD) and user.last_login is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    invited.refresh_from_db()
    assert not invited.invitation_pending


def test_the_link_works_once(invited, client):
    link = path_of(link_in(mail.outbox[0]))
    form = client.get(link)["Location"]
    client.post(form, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.logout()
    again = client.get(link)
    html = again.content.decode()
    assert again.status_code == 200 and "ลิงก์นี้ใช้ไม่ได้" in html and "ส่งคำเชิญใหม่" in html
    assert 'name="new_password1"' not in html


def test_an_expired_link_gets_the_thai_page(invited, client, settings):
    settings.INVITATION_TIMEOUT_DAYS = 3
    user = invited.user
    made = invitation_tokens._num_seconds(datetime.now() - timedelta(days=3, minutes=1))
    old = invitation_tokens._make_token_with_timestamp(user, made, invitation_tokens.secret)
    assert not invitation_tokens.check_token(user, old)
    response = client.get(reverse("invitation", args=[link_uid(mail.outbox[0]), old]))
    assert "ลิงก์นี้ใช้ไม่ได้" in response.content.decode()
    # Within the lifetime the same kind of token is good: the expiry is the setting's, not
    # Django's PASSWORD_RESET_TIMEOUT (3 days).
    settings.INVITATION_TIMEOUT_DAYS = 7
    assert invitation_tokens.check_token(user, old)


def link_uid(message):
    return link_in(message).rstrip("/").split("/")[-2]


def test_an_altered_or_foreign_token_is_refused(invited, client):
    uid = link_uid(mail.outbox[0])
    token = link_in(mail.outbox[0]).rstrip("/").split("/")[-1]
    for bad in (token[:-1] + ("0" if token[-1] != "0" else "1"), "nonsense", default_token_generator.make_token(
            invited.user)):
        response = client.get(reverse("invitation", args=[uid, bad]))
        assert response.status_code == 200 and "ลิงก์นี้ใช้ไม่ได้" in response.content.decode()
    for bad_uid in ("AAAA", "MTAwMDAwMDAwMDAwMDAwMDAwMDAw"):  # nobody, and 10**26
        response = client.get(reverse("invitation", args=[bad_uid, token]))
        assert response.status_code == 200 and "ลิงก์นี้ใช้ไม่ได้" in response.content.decode()


def test_a_password_reset_token_is_not_an_invitation_and_back():
    assert invitation_tokens.key_salt != default_token_generator.key_salt


def test_a_resend_voids_the_earlier_link(invited, client):
    first = path_of(link_in(mail.outbox[0]))
    invitations_send([Membership.objects.select_related("user", "organisation").get(pk=invited.pk)])
    second = path_of(link_in(mail.outbox[1]))
    assert first != second
    assert "ลิงก์นี้ใช้ไม่ได้" in client.get(first).content.decode()
    assert client.get(second).status_code == 302


def test_a_deactivated_persons_link_is_refused(invited, client):
    get_user_model().objects.filter(pk=invited.user_id).update(is_active=False)
    response = client.get(path_of(link_in(mail.outbox[0])))
    assert response.status_code == 200 and "ลิงก์นี้ใช้ไม่ได้" in response.content.decode()


def test_the_password_rules_are_the_settings_validators(invited, client, settings):
    """Whatever AUTH_PASSWORD_VALIDATORS holds (another branch raises them); messages in Thai."""
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    ]
    form = client.get(path_of(link_in(mail.outbox[0])))["Location"]
    page = client.get(form).content.decode()
    assert "รหัสผ่านต้องมีอย่างน้อย 10 ตัวอักษร" in page
    for password, message in [("abc12345", "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 10 ตัวอักษร"),
                              ("password123", "รหัสผ่านนี้มีผู้ใช้กันมาก"),
                              ("ยาวพอแล้ว-2569", "รหัสผ่านทั้งสองช่องไม่ตรงกัน")]:
        second = password if message != "รหัสผ่านทั้งสองช่องไม่ตรงกัน" else password + "x"
        response = client.post(form, {"new_password1": password, "new_password2": second})
        assert response.status_code == 200 and message in response.content.decode(), password
    assert not get_user_model().objects.get(pk=invited.user_id).has_usable_password()


def test_a_failed_email_is_reported_and_can_be_sent_again(org, settings, caplog):
    settings.EMAIL_BACKEND = "tests.test_invitations.BrokenBackend"
    [membership] = people_create([NewPerson(org, "ก ข", "a@example.go.th", Membership.Role.EXECUTIVE)])
    assert invitations_send([membership]) == [membership]
    assert "invitation e-mail to a@example.go.th failed" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert invitations_send([membership]) == [] and len(mail.outbox) == 1


class BrokenBackend(LocmemBackend):
    def send_messages(self, messages):
        raise OSError("SMTP down")


def test_without_the_setting_the_link_uses_the_host_and_port_the_admin_reached_the_portal_at(
    client_for, palad, settings
):
    settings.PORTAL_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["ita.test"]
    response = client_for("org_admin").post(
        reverse("person_invite"), {"name": "นายใหม่ ใจดี", "email": "new@example.go.th", "role": "staff",
                                   "units": [palad.pk]},
        HTTP_HOST="ita.test:8443", secure=True,
    )
    assert response.status_code == 302
    link = link_in(mail.outbox[-1])
    assert link.startswith("https://ita.test:8443/accounts/invitation/")
    assert "8000" not in mail.outbox[-1].body


def test_the_setting_when_set_wins_over_the_requests_address(client_for, palad, settings):
    settings.PORTAL_BASE_URL = "https://ita.example.go.th"
    settings.ALLOWED_HOSTS = ["10.0.0.5"]
    client_for("org_admin").post(
        reverse("person_invite"), {"name": "นายใหม่ ใจดี", "email": "new@example.go.th", "role": "staff",
                                   "units": [palad.pk]},
        HTTP_HOST="10.0.0.5:8001",
    )
    assert link_in(mail.outbox[-1]).startswith("https://ita.example.go.th/accounts/invitation/")
