"""Sign-in through the real form in Chromium lands on the home page with the organisation."""


def test_staff_signs_in_and_sees_home(sign_in, personas, assessment, live_server):
    page = sign_in("staff")
    assert page.url == f"{live_server.url}/"
    assert page.get_by_text("องค์การบริหารส่วนตำบลทดสอบ").first.is_visible()


def test_wrong_password_stays_on_login_page(sign_in, personas, live_server):
    page = sign_in("staff", password="wrong-password")
    assert "/accounts/login/" in page.url
