""""ลืมรหัสผ่าน?": a Thai e-mail with a one-time link built from PORTAL_BASE_URL; the same answer
for every address; nothing for deactivated accounts or people invited who have not set a
password; the new password through the validators; every other session ends; an audit entry;
throttled per address and per client address (429, no e-mail); two-factor sign-in not skipped."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.invitations import invitation_tokens, invitations_send
from accounts.models import Membership
from accounts.services import NewPerson, people_create
from audit.models import Entry

LINK = re.compile(r"https?://\S+/accounts/password-reset/\S+/")
OLD = "pw-for-tests-2569"
NEW = "ข้าวเหนียว-มะม่วง-2569"


@pytest.fixture
def staff(personas, settings):
    settings.PORTAL_BASE_URL = "https://ita.example.go.th"
    user = personas["staff"]
    user.email, user.first_name, user.last_name = "staff@example.go.th", "สมชาย", "ใจดี"
    user.save()
    return user


def _uid(user):
    return urlsafe_base64_encode(force_bytes(user.pk))


def ask(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def link_in(message):
    return LINK.search(message.body).group(0).removeprefix("https://ita.example.go.th")


def reset(client, link, password=NEW):
    form = client.get(link)
    assert form.status_code == 302 and form["Location"].endswith("/set-password/")
    return client.post(form["Location"], {"new_password1": password, "new_password2": password})


def test_the_sign_in_page_links_to_forgot_password(client, db):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html and "ลืมรหัสผ่าน?" in html
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and "ส่งลิงก์ตั้งรหัสผ่านใหม่" in page.content.decode()


def test_a_known_address_gets_a_thai_email_with_a_link_from_the_portals_address(staff, client):
    response = ask(client, "Staff@Example.go.th")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["staff@example.go.th"]
    assert message.subject == "ITA Portal: ลิงก์สำหรับตั้งรหัสผ่านใหม่"
    assert "เรียน สมชาย ใจดี" in message.body and "ชื่อผู้ใช้ของท่าน: staff" in message.body
    assert "ภายใน 60 นาที" in message.body
    assert LINK.search(message.body).group(0).startswith("https://ita.example.go.th/accounts/password-reset/")
    assert OLD not in message.body


def test_an_unknown_address_gets_the_same_page_and_no_email(staff, client):
    known = ask(client, "staff@example.go.th")
    unknown = ask(Client(), "nobody@example.go.th")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1
    sent = client.get(known["Location"])
    html = sent.content.decode()
    assert sent.status_code == 200 and "หากอีเมลที่กรอกเป็นของบัญชีที่ใช้งานได้" in html
    assert "staff@example.go.th" not in html and "nobody@example.go.th" not in html


def test_a_bad_address_gets_a_thai_message_and_no_email(staff, client):
    response = ask(client, "not-an-address")
    assert response.status_code == 200
    assert "อีเมลไม่ถูกต้อง" in response.content.decode() and mail.outbox == []


def test_deactivated_users_and_pending_invitees_get_no_email(staff, client, org, palad):
    staff.is_active = False
    staff.save()
    [invitee] = people_create([NewPerson(org, "ผู้ได้รับเชิญ ใหม่", "invitee@example.go.th",
                                         Membership.Role.STAFF, [palad])])
    invitations_send([invitee])
    mail.outbox.clear()
    for email in ("staff@example.go.th", "invitee@example.go.th"):
        response = ask(client, email)
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_deactivated_users_or_invitees_reset_link_is_refused(staff, client, org, palad):
    """A link made before the account was deactivated stops working; an invitee's account
    refuses a reset token (their link is the invitation)."""
    ask(client, "staff@example.go.th")
    link = link_in(mail.outbox[0])
    get_user_model().objects.filter(pk=staff.pk).update(is_active=False)
    page = client.get(link)
    assert page.status_code == 200 and "ลิงก์นี้ใช้ไม่ได้" in page.content.decode()
    [invitee] = people_create([NewPerson(org, "ผู้ได้รับเชิญ ใหม่", "invitee@example.go.th",
                                         Membership.Role.STAFF, [palad])])
    user = invitee.user
    page = client.get(reverse("password_reset_confirm", args=[_uid(user), default_token_generator.make_token(user)]))
    assert page.status_code == 200 and "ลิงก์นี้ใช้ไม่ได้" in page.content.decode()


def test_the_link_sets_the_new_password_does_not_sign_in_and_ends_every_session(staff, client):
    elsewhere = Client()
    elsewhere.force_login(staff)
    assert elsewhere.get(reverse("password_change")).status_code == 200
    ask(client, "staff@example.go.th")
    response = reset(client, link_in(mail.outbox[0]))
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    assert "_auth_user_id" not in client.session
    done = client.get(response["Location"]).content.decode()
    assert "ตั้งรหัสผ่านใหม่แล้ว" in done and reverse("login") in done
    staff.refresh_from_db()
    assert staff.check_password(NEW) and not staff.check_password(OLD)
    # The other session carried a hash of the old password: it ends at its next request.
    assert elsewhere.get(reverse("password_change"))["Location"].startswith(reverse("login"))
    assert client.post(reverse("login"), {"username": "staff", "password": NEW}).status_code == 302


def test_the_reset_is_in_the_audit_log_as_the_users_own(staff, client):
    ask(client, "staff@example.go.th")
    reset(client, link_in(mail.outbox[0]))
    entry = Entry.objects.get(kind=Entry.Kind.PASSWORD_RESET)
    assert entry.actor_id == staff.pk and entry.organisation_id == staff.membership.organisation_id
    assert entry.object_pk == str(staff.pk) and entry.remote_addr == "127.0.0.1"
    assert set(entry.changes) == {"password"} and "pbkdf2" not in str(entry.changes)
    assert entry.get_kind_display() == "ตั้งรหัสผ่านใหม่ด้วยลิงก์ลืมรหัสผ่าน"


def test_the_link_works_once(staff, client):
    ask(client, "staff@example.go.th")
    link = link_in(mail.outbox[0])
    reset(client, link)
    again = client.get(link)
    html = again.content.decode()
    assert again.status_code == 200 and "ลิงก์นี้ใช้ไม่ได้" in html and 'name="new_password1"' not in html
    assert reverse("password_reset") in html


def test_an_expired_altered_or_invitation_token_gets_the_thai_page(staff, client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60
    made = default_token_generator._num_seconds(datetime.now() - timedelta(minutes=61))
    expired = default_token_generator._make_token_with_timestamp(staff, made, default_token_generator.secret)
    good = default_token_generator.make_token(staff)
    for token in (expired, good[:-1] + ("0" if good[-1] != "0" else "1"), invitation_tokens.make_token(staff)):
        page = client.get(reverse("password_reset_confirm", args=[_uid(staff), token]))
        assert page.status_code == 200 and "ลิงก์นี้ใช้ไม่ได้" in page.content.decode()
    assert client.get(reverse("password_reset_confirm", args=["AAAA", good])).status_code == 200
    assert client.get(reverse("password_reset_confirm", args=[_uid(staff), good])).status_code == 302


def test_the_new_password_goes_through_the_validators_in_thai(staff, client):
    ask(client, "staff@example.go.th")
    form = client.get(link_in(mail.outbox[0]))["Location"]
    for weak in ("12345678901", "password123", "staff"):
        response = client.post(form, {"new_password1": weak, "new_password2": weak})
        assert response.status_code == 200 and "รหัสผ่าน" in response.content.decode()
    mismatch = client.post(form, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in mismatch.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(OLD)


def test_too_many_requests_for_one_address_get_429_and_no_email(staff, settings):
    settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR = 2
    for n in range(2):
        assert ask(Client(), "staff@example.go.th", REMOTE_ADDR=f"192.0.2.{n}").status_code == 302
    over = ask(Client(), "STAFF@example.go.th", REMOTE_ADDR="192.0.2.9")
    assert over.status_code == 429 and "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป" in over.content.decode()
    assert len(mail.outbox) == 2
    # The limit is the same for an address that is nobody's: the 429 discloses nothing.
    for n in range(2):
        ask(Client(), "nobody@example.go.th", REMOTE_ADDR=f"198.51.100.{n}")
    assert ask(Client(), "nobody@example.go.th", REMOTE_ADDR="198.51.100.9").status_code == 429
    # Another person's address is not held back.
    assert ask(Client(), "other@example.go.th", REMOTE_ADDR="192.0.2.9").status_code == 302


def test_too_many_requests_from_one_client_address_get_429_and_no_email(staff, settings):
    settings.PASSWORD_RESET_PER_IP_PER_HOUR = 3
    for n in range(3):
        assert ask(Client(), f"someone{n}@example.go.th", REMOTE_ADDR="203.0.113.5").status_code == 302
    over = ask(Client(), "staff@example.go.th", REMOTE_ADDR="203.0.113.5")
    assert over.status_code == 429 and mail.outbox == []
    assert ask(Client(), "staff@example.go.th", REMOTE_ADDR="203.0.113.6").status_code == 302
    assert len(mail.outbox) == 1


def test_a_reset_does_not_skip_two_factor_sign_in(staff, client):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    ask(client, "staff@example.go.th")
    reset(client, link_in(mail.outbox[0]))
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("login"), {"username": "staff", "password": NEW})
    assert response.status_code == 302
    # Signed in with the password, but no page opens before the code.
    page = client.get(reverse("password_change"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("two_factor_verify"))
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    assert client.get(reverse("password_change")).status_code == 200


def test_the_reset_pages_answer_in_the_page_count_of_queries(staff, client, django_assert_num_queries):
    """The request page reads nothing; asking reads the users with that address in one query,
    however many accounts share it (no query per user found)."""
    with django_assert_num_queries(0):
        client.get(reverse("password_reset"))
    with django_assert_num_queries(1):
        ask(client, "staff@example.go.th")


def test_with_a_broker_the_mail_is_queued_not_sent_in_the_request(staff, client, settings, monkeypatch):
    """Sent in the request, the SMTP exchange would make a known address answer slower than an
    unknown one; the request only queues the rendered mail for the worker (accounts/tasks.py)."""
    from accounts import tasks

    queued = []
    monkeypatch.setattr(tasks.send_mail, "delay", lambda *args: queued.append(args))
    ask(client, "staff@example.go.th")
    ask(Client(), "nobody@example.go.th")
    assert mail.outbox == [] and len(queued) == 1
    subject, body, from_email, to = queued[0]
    assert to == ["staff@example.go.th"] and "ลิงก์สำหรับตั้งรหัสผ่านใหม่" in subject
    tasks.send_mail(*queued[0])  # what the worker runs
    [message] = mail.outbox
    assert LINK.search(message.body) and message.from_email == settings.DEFAULT_FROM_EMAIL


def test_when_the_broker_is_down_the_mail_is_sent_in_the_request(staff, client, monkeypatch):
    from accounts import tasks

    def broker_down(*args):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(tasks.send_mail, "delay", broker_down)
    response = ask(client, "staff@example.go.th")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["staff@example.go.th"]
