"""Create the demo accounts of the README for the seed organisation (skips existing users)."""

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

    @transaction.atomic
    def handle(self, *args, **options):
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
