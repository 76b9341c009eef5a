"""Project-wide response policy."""

from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    """Pages behind the login show personal data (names, e-mails, comments). No browser or proxy may
    keep a copy, or the next person at a shared computer could press Back and read them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        return response
