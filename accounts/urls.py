from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor, views
from .forms import SignInForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=SignInForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password-reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetSent.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirm.as_view(), name="password_reset_confirm"),
    path("password-reset/complete/", views.PasswordResetComplete.as_view(), name="password_reset_complete"),
    path("two-factor/", two_factor.status, name="two_factor"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", two_factor.backup_codes, name="two_factor_backup_codes"),
    path("two-factor/disable/", two_factor.disable, name="two_factor_disable"),
    path("two-factor/organisation/", two_factor.organisation_requirement, name="two_factor_organisation"),
    path("line/", views.line_channel, name="line_channel"),
    path("sign-ins/", views.sign_in_log, name="sign_in_log"),
    path("invitation/<uidb64>/<token>/", views.AcceptInvitationView.as_view(), name="invitation"),
    # The organisation admin's pages: its people and its units.
    path("people/", views.people, name="people"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/active/", views.person_active, name="person_active"),
    path("people/<int:pk>/resend/", views.person_resend, name="person_resend"),
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("units/<int:pk>/retire/", views.unit_retire, name="unit_retire"),
    path("units/<int:pk>/reactivate/", views.unit_reactivate, name="unit_reactivate"),
]
