from auditlog.admin import LogEntryAdmin
from django.contrib import admin

from .models import Entry

# django-auditlog's admin (read-only: no adding, changing or deleting entries) with the portal's
# own columns, for platform staff: every organisation's entries and those of no organisation.
admin.site.unregister(Entry)


@admin.register(Entry)
class EntryAdmin(LogEntryAdmin):
    list_display = ["created", "organisation", "kind", "resource_url", "msg_short", "user_url", "remote_addr"]
    list_filter = ["kind", "organisation", *LogEntryAdmin.list_filter]
    list_select_related = ["content_type", "actor", "organisation"]
    search_fields = [*LogEntryAdmin.search_fields, "remote_addr"]
