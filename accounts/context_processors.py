def membership(request):
    """The signed-in user's membership (or None) for the navigation bar of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None}
    return {"membership": getattr(user, "membership", None)}
