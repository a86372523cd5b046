"""The results version (models.ResultsVersion) follows the changes that no call of
`refresh_results` makes: an organisation saved (made, moved to another area, retyped) or
removed, an assessment saved (made, its published figures or complaints) or removed, an
indicator renamed. Cache keeping only, no domain logic: see ResultsVersion."""

from django.db.models.signals import post_delete, post_save


def results_changed(sender, **kwargs):
    from .models import ResultsVersion

    ResultsVersion.bump()


def connect():
    from .models import Assessment, Indicator, Organisation

    for model in (Organisation, Assessment, Indicator):
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(results_changed, sender=model, dispatch_uid=f"results-version-{model.__name__}-{name}")
