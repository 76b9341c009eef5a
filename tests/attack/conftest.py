import pytest
from django.urls import reverse

from .routes import ROUTES
from .world import build_world


@pytest.fixture
def world(db, django_user_model):
    return build_world(django_user_model)


@pytest.fixture
def url_of(world):
    def url(name):
        return reverse(name, kwargs=ROUTES[name].args(world))

    return url


@pytest.fixture
def as_user(client, world):
    """The client signed in as the route's user (or anonymous for a public route)."""

    def sign_in(name):
        client.logout()
        if name:
            client.force_login(world.user(name))
        return client

    return sign_in


@pytest.fixture
def each_route():
    """Runs `attack(name, route)` for every row chosen, each in a savepoint rolled back afterwards
    (one world for all, no row sees another's changes), and fails once listing every problem."""
    from django.db import transaction

    def run(attack, *, where=lambda name, route: True):
        problems = []
        for name, route in sorted(ROUTES.items()):
            if not where(name, route):
                continue
            with transaction.atomic():
                try:
                    attack(name, route)
                except AssertionError as error:
                    problems.append(f"{name}: {error}")
                transaction.set_rollback(True)
        assert not problems, "\n".join(problems)

    return run
