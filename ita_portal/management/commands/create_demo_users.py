"""Create the demo accounts of the README for the seed organisation (skips existing users).

Every role can be tried: the organisation's admin, executive and two staff members (none of
them Django staff: the admin site is for platform staff only), the area office of the seed's
province, and a platform staff account that onboards organisations and uses the admin site.

Their passwords are printed in the README: they are for `make run` on a laptop only, so the
command refuses to run with DEBUG off unless told `--even-without-debug` (a staging copy).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Membership
from assessments.models import Organisation
from oversight.models import OversightMembership

# username, password, role, units
DEMO_MEMBERS = [
    ("admin", "admin-ita-2569", Membership.Role.ADMIN, []),
    ("executive", "exec-ita-2569", Membership.Role.EXECUTIVE, []),
    ("staff_palad", "staff-ita-2569", Membership.Role.STAFF, ["สำนักปลัด"]),
    ("staff_klang", "staff-ita-2569", Membership.Role.STAFF, ["กองคลัง"]),
]
AREA_OFFICE = ("area_office", "area-ita-2569")
PLATFORM = ("platform", "platform-ita-2569")


class Command(BaseCommand):
    help = "สร้างบัญชีสาธิต (ผู้ดูแลระบบ ผู้บริหาร เจ้าหน้าที่ สำนักงานระดับจังหวัด เจ้าหน้าที่ดูแลแพลตฟอร์ม)"

    def add_arguments(self, parser):
        parser.add_argument("--even-without-debug", action="store_true",
                            help="create them even with DEBUG off (their passwords are public)")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["even_without_debug"]:
            raise CommandError("DEBUG is off: the demo accounts' passwords are public (README). "
                               "Use --even-without-debug only on a copy nobody else can reach.")
        organisation = Organisation.objects.filter(short_name="อบต.วังหมี").first()
        if organisation is None:
            raise CommandError("ยังไม่มีข้อมูล อบต.วังหมี: run `manage.py load_seed` first")
        User = get_user_model()
        for username, password, role, unit_names in DEMO_MEMBERS:
            user = User.objects.filter(username=username).first()
            if user is not None:
                if user.is_staff or user.is_superuser:
                    # Databases made before the admin site was for platform staff only.
                    user.is_staff = user.is_superuser = False
                    user.save(update_fields=["is_staff", "is_superuser"])
                    self.stdout.write(f"{username} is no longer a Django superuser")
                continue
            user = User.objects.create_user(username, email=f"{username}@wangmi.example.go.th", password=password)
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
            membership.units.set(organisation.units.filter(name__in=unit_names))
            self.stdout.write(f"created {username} ({role})")
        username, password = AREA_OFFICE
        if not User.objects.filter(username=username).exists():
            user = User.objects.create_user(username, email="area@korat.example.go.th", password=password,
                                            first_name="สำนักงานจังหวัด", last_name=organisation.province)
            OversightMembership.objects.create(user=user, province=organisation.province)
            self.stdout.write(f"created {username} (area office of {organisation.province})")
        username, password = PLATFORM
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username, email="platform@example.go.th", password=password)
            self.stdout.write(f"created {username} (platform staff, Django superuser)")
