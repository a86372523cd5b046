"""Django's admin site, for platform staff alone.

Organisation admins, executives, staff and area offices work in the portal's own pages, which
keep each organisation to itself; the admin site shows every organisation's rows, so it admits
nobody who belongs to an organisation, whatever their Django flags say (accounts.access
.is_platform_staff). Anyone else signed in gets the portal's 403 page; a visitor who is not
signed in is sent to the portal's sign-in page (throttled and in Thai), the only one there is.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import is_platform_staff


class PlatformAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return is_platform_staff(request.user)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        def platform_only(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied(_("หน้าจัดการข้อมูลของ Django ใช้ได้เฉพาะเจ้าหน้าที่ดูแลแพลตฟอร์ม"))
            return checked(request, *args, **kwargs)

        return update_wrapper(platform_only, view)

    def login(self, request, extra_context=None):
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))
        if not self.has_permission(request):
            raise PermissionDenied(_("หน้าจัดการข้อมูลของ Django ใช้ได้เฉพาะเจ้าหน้าที่ดูแลแพลตฟอร์ม"))
        return redirect("admin:index")
