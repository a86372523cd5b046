from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class CookieLocaleMiddleware:
    """Activates the language of the language cookie (set by the switch through Django's
    `set_language`), else Thai.

    Unlike Django's LocaleMiddleware it never reads the browser's Accept-Language header: many
    Thai civil servants run English-language browsers and must still get Thai until they pick
    English themselves. The cookie is not part of the session, so the choice survives sign-out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # Whatever a view renders in (the printed reports override to Thai), the page depends
        # on the cookie, so a shared cache must not hand one person's language to another.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
