"""Language selection: the portal speaks Chinese unless the user switched to English."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from governance.registry import registry


class PortalLocaleMiddleware(LocaleMiddleware):
    """Pages ignore the browser's Accept-Language: a town official's browser set to English (as
    headless and many office machines are) still gets the Chinese portal, and the language
    switch (a cookie) is the only way to English. REST clients under /api/, and under the
    root-level APIs apps register (Open311's /open311/v2/), choose by Accept-Language, as HTTP
    clients expect."""

    def process_request(self, request):
        if request.path.startswith(("/api/", *registry.root_api_prefixes())):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
