from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.access import get_membership, latest_assessment_for_user
from measures.models import Measure


@login_required
def home(request):
    """The organisation's latest assessment: its ten scores, the computed result and the plan."""
    membership = get_membership(request)
    assessment = latest_assessment_for_user(request)
    measures = Measure.objects.filter(assessment=assessment).for_table()
    return render(
        request,
        "assessments/home.html",
        {
            "organisation": membership.organisation,
            "assessment": assessment,
            "scores": assessment.scores.all(),
            "result": assessment.result,
            "measures": measures,
        },
    )
