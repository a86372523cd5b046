"""The results version (models.ResultsVersion) follows the changes that no call of
`refresh_results` makes: an organisation saved (made, moved to another area, retyped) or
removed, an assessment removed. Cache keeping only, no domain logic: see ResultsVersion."""

from django.db.models.signals import post_delete, post_save


def results_changed(sender, **kwargs):
    from .models import ResultsVersion

    ResultsVersion.bump()


def connect():
    from .models import Assessment, Organisation

    for model in (Organisation, Assessment):
        post_delete.connect(results_changed, sender=model, dispatch_uid=f"results-version-{model.__name__}-delete")
    post_save.connect(results_changed, sender=Organisation, dispatch_uid="results-version-Organisation-save")
