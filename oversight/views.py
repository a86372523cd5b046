from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import get_oversight_for_user
from audit.log import record
from audit.models import Entry

from .exports import area_xlsx
from .forms import AreaFilterForm
from .summary import area_rows, sort_rows

PAGE_SIZE = 50


def _filtered_rows(request, oversight):
    organisations = oversight.organisations()
    districts = [
        d for d in organisations.order_by("district").values_list("district", flat=True).distinct() if d
    ]
    form = AreaFilterForm(request.GET, districts)
    if form.is_valid():
        rows = form.filter_rows(area_rows(form.filter_organisations(organisations)))
        sort = form.cleaned_data["sort"] or "-overall"
    else:
        rows, sort = area_rows(organisations), "-overall"
    return form, sort_rows(rows, sort)


@login_required
def area(request):
    """Every organisation of the user's area: latest result, change, weakest point, progress."""
    oversight = get_oversight_for_user(request)
    form, rows = _filtered_rows(request, oversight)
    page_number = form.cleaned_data.get("page") if form.is_valid() else None
    page = Paginator(rows, PAGE_SIZE).get_page(page_number or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "oversight/area.html",
        {"oversight": oversight, "form": form, "page": page, "total": len(rows), "query": query.urlencode()},
    )


@login_required
def area_export(request):
    oversight = get_oversight_for_user(request)
    _, rows = _filtered_rows(request, oversight)
    # An area office's export belongs to no organisation: platform staff read it in the admin.
    record(Entry.Kind.EXPORT, oversight, data={"file_name": "ita-oversight.xlsx"})
    response = HttpResponse(
        area_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="ita-oversight.xlsx"'
    return response
