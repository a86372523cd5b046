def membership(request):
    """The signed-in user's membership, or for an oversight user their area, for the navigation
    bar of every page. Organisation users cost no extra query for the oversight lookup."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"membership": None, "oversight": None}
    membership = getattr(user, "membership", None)
    oversight = None if membership else getattr(user, "oversight", None)
    return {"membership": membership, "oversight": oversight}
