"""Who may read the reports: the organisation's own through assessments/access.py, and anyone
the public page of an assessment its admins published."""

from django.shortcuts import get_object_or_404

from assessments.models import Assessment


def get_public_assessment(organisation_id, year):
    """The public page's assessment, with its scores; 404 unless an admin has published it.

    Needs no sign-in: the page is for linking from the organisation's website. Looked up through
    `__pk`, which Django checks against the column's range: `organisation_id=` passes a number
    from the URL such as 10**20 to the database as it is, and SQLite fails on it (a 500)."""
    return get_object_or_404(
        Assessment.objects.with_scores().filter(is_public=True),
        organisation__pk=organisation_id, fiscal_year__pk=year,
    )
