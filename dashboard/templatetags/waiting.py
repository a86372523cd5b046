from django import template

from dashboard.waiting import waiting_for

register = template.Library()


@register.inclusion_tag("dashboard/_waiting.html", takes_context=True)
def waiting_for_me(context):
    """The "what waits for me" box at the top of a landing page."""
    return {"items": waiting_for(context["request"].user)}
