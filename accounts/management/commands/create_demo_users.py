"""Create the demo accounts of the README for the seed organisation (skips existing users).

Their passwords are printed in the README: they are for `make run` on a laptop only, so the
command refuses to run with DEBUG off unless told `--even-without-debug` (a staging copy).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Membership
from assessments.models import Organisation

# username, password, role, units, Django superuser
DEMO_USERS = [
    ("admin", "admin-ita-2569", Membership.Role.ADMIN, [], True),
    ("executive", "exec-ita-2569", Membership.Role.EXECUTIVE, [], False),
    ("staff_palad", "staff-ita-2569", Membership.Role.STAFF, ["สำนักปลัด"], False),
    ("staff_klang", "staff-ita-2569", Membership.Role.STAFF, ["กองคลัง"], False),
]


class Command(BaseCommand):
    help = "สร้างบัญชีสาธิต (ผู้ดูแลระบบ ผู้บริหาร เจ้าหน้าที่สำนักปลัด เจ้าหน้าที่กองคลัง)"

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
        for username, password, role, unit_names, superuser in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(
                username, email=f"{username}@wangmi.example.go.th", password=password,
                is_staff=superuser, is_superuser=superuser,
            )
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
            membership.units.set(organisation.units.filter(name__in=unit_names))
            self.stdout.write(f"created {username} ({role})")
