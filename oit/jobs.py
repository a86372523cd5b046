"""OIT's kind of job: the check of a workspace's published links (oit/links.py does the work)."""

from django.utils.translation import gettext_lazy as _

from jobs.registry import register

from .links import link_check_job
from .models import LINK_CHECK_KIND

register(LINK_CHECK_KIND, link_check_job, label=_("ตรวจลิงก์ข้อ OIT"))
