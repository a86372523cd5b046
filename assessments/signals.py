"""The results version (models.ResultsVersion) follows the changes that no call of
`refresh_results` makes: an organisation saved (made, moved to another area, retyped) or
removed, an assessment saved (made, its published figures or complaints) or removed, an
indicator renamed; and every `migrate`, which each upgrade runs, so that nothing drawn by the
code of the release before is read after it. Cache keeping only, no domain logic: see
ResultsVersion."""

from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save


def results_changed(sender, **kwargs):
    from .models import ResultsVersion

    ResultsVersion.bump()


def code_changed(sender, using, **kwargs):
    """After `migrate` (a migration to an earlier state may have removed the table)."""
    from .models import ResultsVersion

    if ResultsVersion._meta.db_table in connections[using].introspection.table_names():
        ResultsVersion.bump(using)


def follow(*models):
    """Renew the results version whenever one of `models` is saved or deleted (another app's
    models too: oversight's regions)."""
    for model in models:
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(results_changed, sender=model, dispatch_uid=f"results-version-{model.__name__}-{name}")


def connect(app_config):
    from .models import Assessment, Indicator, Organisation

    follow(Organisation, Assessment, Indicator)
    post_migrate.connect(code_changed, sender=app_config, dispatch_uid="results-version-migrate")
