"""Who may read which notification: each person their own, and nothing else (a 404)."""

from django.shortcuts import get_object_or_404

from .models import Notification


def notifications_for_user(request):
    return Notification.objects.filter(recipient=request.user)


def get_notification_for_user(request, pk):
    return get_object_or_404(notifications_for_user(request), pk=pk)


def role_of(user):
    """The user's role in their organisation ("staff", "executive", "admin"), or "" for someone
    who belongs to none (an area office, platform staff): they receive no notification."""
    membership = getattr(user, "membership", None)
    return membership.role if membership else ""
