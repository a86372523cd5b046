from django.utils.functional import SimpleLazyObject

from .models import Notification


def bell(request):
    """The unread count for the navigation bar's bell: one COUNT query, and only on a page that
    shows the bell (the value is read lazily)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: Notification.objects.filter(recipient=user).unread().count())}
