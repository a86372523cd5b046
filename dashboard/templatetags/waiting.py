from django import template

register = template.Library()


@register.inclusion_tag("dashboard/_waiting_slot.html")
def waiting_for_me():
    """The place of the "what waits for me" box at the top of a landing page: the box itself is
    asked for once the page has loaded (dashboard.views.waiting)."""
    return {}
