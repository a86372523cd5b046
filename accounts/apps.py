from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("ผู้ใช้และสิทธิ์")

    def ready(self):
        from .sessions import stamp_sign_in
        from .two_factor import note_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="accounts.stamp_sign_in")
        user_logged_in.connect(note_sign_in, dispatch_uid="accounts.two_factor_note_sign_in")
