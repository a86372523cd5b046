"""Sign-in through the real form in Chromium lands staff on their organisation's plan."""


def test_staff_signs_in_and_lands_on_the_plan(sign_in, personas, assessment, live_server):
    page = sign_in("staff")
    # No rows yet, so the plan opens at the current fiscal year.
    assert page.url.startswith(f"{live_server.url}/plan/25")
    assert page.locator("h1").first.is_visible()


def test_wrong_password_stays_on_login_page(sign_in, personas, live_server):
    page = sign_in("staff", password="wrong-password")
    assert "/accounts/login/" in page.url
