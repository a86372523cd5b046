from django.db import migrations


class Migration(migrations.Migration):
    """django-auditlog 3.4's own migrations create its `auditlog_logentry` table even when
    AUDITLOG_LOGENTRY_MODEL names another model (upstream issue jazzband/django-auditlog#804).
    Nothing ever writes to it, but its foreign keys make `flush` (and so every PostgreSQL test
    that empties the database) fail. Dropped here; dropping nothing if a later version of the
    library no longer creates it."""

    dependencies = [
        ("audit", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS auditlog_logentry", reverse_sql=migrations.RunSQL.noop),
    ]
