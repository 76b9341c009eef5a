"""The session engine (SESSION_ENGINE = "casework.accounts.sessions") and ending a person's sessions."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from .models import StaffSession


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        return StaffSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get("_auth_user_id")
        session.user_id = int(user_id) if user_id and str(user_id).isdecimal() else None
        return session


def end_sessions(user) -> int:
    deleted, _by_model = StaffSession.objects.filter(user_id=user.pk).delete()
    return deleted


def end_sessions_of_deactivated(sender, instance, **kwargs):
    """A deactivated account's sessions end, so reactivating it later does not bring an old browser
    (or a stolen cookie) back in."""
    if instance.pk is None or instance.is_active:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        end_sessions(instance)
