"""A new URL without a row in the attack table fails here, with the row to add."""

from .routes import ROUTES, is_admin_family, row_to_add, walk


def test_every_url_has_a_row_in_the_attack_table():
    missing = [(name, route) for name, route in sorted(set(walk())) if name not in ROUTES and not is_admin_family(name)]
    assert not missing, (
        "These URLs are not attacked by tests/attack/. Add a row for each to ROUTES in tests/attack/routes.py "
        "(see the Route fields' comments for what each means):\n" + "\n".join(row_to_add(name, route) for name, route in missing)
    )


def test_every_row_is_a_url_that_exists():
    names = {name for name, _route in walk()}
    assert set(ROUTES) - names == set(), "remove the rows of URLs that no longer exist"


def test_the_walk_reaches_nested_includes_and_the_admin():
    names = {name for name, _route in walk()}
    assert {"cases:detail", "privacy:erase", "admin:index", "admin:cases_case_change", "healthz"} <= names
