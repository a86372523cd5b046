"""Django's admin site is for platform staff only; no organisation admin is a Django superuser,
the demo `admin` included, and the demo accounts let every role be tried."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Membership
from oversight.models import OversightMembership

from .conftest import make_user

ADMIN = reverse("admin:index")


@pytest.fixture
def demo(seed):
    call_command("create_demo_users", "--even-without-debug", stdout=open("/dev/null", "w"))
    return {user.username: user for user in get_user_model().objects.all()}


def test_the_demo_admin_is_an_organisation_admin_and_not_a_superuser(demo, client):
    admin = demo["admin"]
    assert (admin.is_superuser, admin.is_staff) == (False, False)
    assert admin.membership.role == Membership.Role.ADMIN and admin.membership.organisation.short_name == "อบต.วังหมี"
    signed_in = client.post(reverse("login"), {"username": "admin", "password": "admin-ita-2569"})
    assert signed_in.status_code == 302
    response = client.get(ADMIN)
    assert response.status_code == 403
    assert "เฉพาะเจ้าหน้าที่ดูแลแพลตฟอร์ม" in response.content.decode()
    assert client.get(reverse("admin:accounts_membership_changelist")).status_code == 403


def test_every_demo_role_can_sign_in_and_lands_on_its_page(demo, client):
    """`make run` lands a newcomer in the seeded portal whichever account they pick."""
    landings = {
        ("admin", "admin-ita-2569"): reverse("dashboard:latest"),
        ("executive", "exec-ita-2569"): reverse("dashboard:latest"),
        ("staff_palad", "staff-ita-2569"): reverse("measures:plan", args=[2569]),
        ("area_office", "area-ita-2569"): reverse("oversight:area"),
        ("platform", "platform-ita-2569"): reverse("onboarding:list"),
    }
    for (username, password), landing in landings.items():
        client.logout()
        response = client.post(reverse("login"), {"username": username, "password": password}, follow=True)
        assert response.redirect_chain[-1][0] == landing, username
        assert response.status_code == 200, username
    assert client.get(ADMIN).status_code == 200  # the platform account, still signed in


def test_the_demo_area_office_is_the_seed_province_and_platform_staff_belong_to_no_organisation(demo):
    area = demo["area_office"].oversight
    seed_org = demo["admin"].membership.organisation
    assert (area.province, area.district) == (seed_org.province, "") == ("นครราชสีมา", "")
    platform = demo["platform"]
    assert platform.is_superuser and platform.is_staff
    assert not Membership.objects.filter(user=platform).exists()
    assert not OversightMembership.objects.filter(user=platform).exists()


def test_running_the_command_again_demotes_an_old_superuser_admin_and_duplicates_nothing(demo):
    get_user_model().objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    count = get_user_model().objects.count()
    call_command("create_demo_users", "--even-without-debug", stdout=open("/dev/null", "w"))
    admin = get_user_model().objects.get(username="admin")
    assert (admin.is_superuser, admin.is_staff) == (False, False)
    assert get_user_model().objects.count() == count


def test_a_member_is_refused_the_admin_whatever_its_django_flags(client, org):
    """Flags set by hand (or by an old database) do not open the admin site to a member."""
    member = make_user("flagged", org, Membership.Role.ADMIN)
    member.is_staff = member.is_superuser = True
    member.save()
    client.force_login(member)
    assert client.get(ADMIN).status_code == 403
    assert client.get(reverse("admin:login")).status_code == 403


def test_an_area_office_and_a_plain_user_are_refused(client, db):
    office = get_user_model().objects.create_user("office")
    OversightMembership.objects.create(user=office, province="นครราชสีมา")
    for user in (office, get_user_model().objects.create_user("nobody")):
        client.force_login(user)
        assert client.get(ADMIN).status_code == 403


def test_a_visitor_is_sent_to_the_portals_sign_in_page(client, db):
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next=/admin/"
    response = client.get(reverse("admin:login"), {"next": "/admin/accounts/"})
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next=/admin/accounts/"


def test_platform_staff_use_the_admin_and_the_menu_shows_it_to_them_only(client, db, client_for):
    platform = get_user_model().objects.create_user("ops", is_staff=True)
    client.force_login(platform)
    assert client.get(ADMIN).status_code == 200
    assert client.get(reverse("admin:login")).status_code == 302
    home = client.get(reverse("onboarding:list")).content.decode()
    assert ADMIN in home and reverse("onboarding:list") in home
    for persona in ("org_admin", "executive", "staff"):
        assert f'href="{ADMIN}"' not in client_for(persona).get(reverse("reports:index")).content.decode()
