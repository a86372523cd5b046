from .access import is_platform_staff


def membership(request):
    """The signed-in user's membership, or for an oversight user their area, and whether they
    are platform staff, for the navigation bar of every page. Organisation users cost no extra
    query for the oversight lookup, and users who are not Django staff none for the staff one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None, "oversight": None, "platform_staff": False}
    membership = getattr(user, "membership", None)
    oversight = None if membership else getattr(user, "oversight", None)
    return {"membership": membership, "oversight": oversight, "platform_staff": is_platform_staff(user)}
