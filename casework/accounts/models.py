"""Signed-in sessions, kept with the person they belong to."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffSession(AbstractBaseSession):
    """Django's database session plus whose it is, so that deactivating an account can end every one
    of its sessions at once (a plain session row does not say whose it is)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        # The configured engine (accounts/sessions.py), found the way Django finds it.
        from importlib import import_module

        return import_module(settings.SESSION_ENGINE).SessionStore
