"""Who answered (DESIGN.md, "Respondent"): a user id means something only inside its source; an e-mail
address that disagrees with the one on record changes nothing and is shown to staff (issue 8)."""

import pytest

from casework.cases.models import Case, Event
from casework.feedback.models import Respondent, RespondentIdentity, Response, Source, Suppression
from casework.feedback.respondents import Identity, email_fingerprint, match_respondent
from casework.feedback.tokens import create_api_token

from .conftest import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_as(client):
    """Posts as a second survey tool, with its own token."""
    def send(source, payload):
        token = create_api_token(source=source)[1]
        return client.post("/api/v1/responses", payload, content_type="application/json", headers={"Authorization": f"Bearer {token}"})

    return send


@pytest.fixture
def other_tool(db):
    return Source.objects.create(name="Another survey tool", slug="another")


def alice(number=1, **fields):
    return item(number, **{"respondent": {"id": "u-1001", "email": "alice@example.com", "name": "Alice Liepa"}, **fields})


def bob(number=2, **fields):
    return item(number, **{"respondent": {"id": "u-1001", "email": "bob@example.com", "name": "Bob Kalns"}, **fields})


def test_the_same_user_id_from_another_source_is_another_person(post, post_as, other_tool, routes):
    [first] = post(alice()).json()["results"]
    [second] = post_as(other_tool, bob()).json()["results"]
    alices_case = Case.objects.get(number=int(first["case"].removeprefix("CW-")))
    assert alices_case.respondent.email == "alice@example.com" and alices_case.respondent.name == "Alice Liepa"
    assert second["case"] != first["case"]
    assert Respondent.objects.count() == 2
    assert Respondent.objects.get(identities__source=other_tool).email == "bob@example.com"


def test_the_same_person_from_two_sources_is_found_by_email(post, post_as, other_tool, routes):
    post(alice(score=9))
    post_as(other_tool, item(2, score=9, respondent={"id": "tf-9", "email": "ALICE@example.com"}))
    # The second tool's id now finds Alice too, even without an address.
    post_as(other_tool, item(3, score=9, respondent={"id": "tf-9"}))
    person = Respondent.objects.get()
    assert set(person.identities.values_list("source__slug", "external_id")) == {("in-app", "u-1001"), ("another", "tf-9")}
    assert Response.objects.filter(respondent=person).count() == 3


@pytest.mark.parametrize("batch", [False, True], ids=["one", "batch"])
def test_an_address_that_disagrees_keeps_the_person_and_tells_staff(post, routes, batch):
    [first] = post(alice()).json()["results"]
    later = alice(2, score=1, respondent={"id": "u-1001", "email": "mallory@example.com", "name": "Alice Liepa"})
    post({"responses": [later, item(3, score=9)]} if batch else later)
    person = Respondent.objects.get(identities__external_id="u-1001")
    assert person.email == "alice@example.com"
    case = Case.objects.get(number=int(first["case"].removeprefix("CW-")))
    conflict = case.events.get(kind=Event.Kind.IDENTITY)
    assert conflict.data["fields"] == ["email"] and conflict.data["received"] == {"email": "mallory@example.com"}
    assert conflict.data["source"] == "In-app survey"


def test_the_conflict_shows_on_the_case_page(post, routes, client, maija):
    [first] = post(alice()).json()["results"]
    post(alice(2, score=1, respondent={"id": "u-1001", "email": "mallory@example.com"}))
    client.force_login(maija)
    page = client.get(f"/cases/{first['case']}/").content.decode()
    assert "In-app survey sent the e-mail address mallory@example.com, which is not the one on record" in page


def test_an_address_of_someone_else_is_never_taken(post, routes):
    post(item(1, score=9, respondent={"id": "u-1", "email": "one@example.com"}))
    post(item(2, score=9, respondent={"id": "u-2"}))
    post(item(3, score=9, respondent={"id": "u-2", "email": "one@example.com"}))
    assert Respondent.objects.get(identities__external_id="u-2").email == ""
    assert Respondent.objects.get(identities__external_id="u-1").email == "one@example.com"


def test_an_address_is_filled_in_when_the_person_had_none(post, routes):
    post(item(1, score=9, respondent={"id": "u-1"}))
    post(item(2, score=9, respondent={"id": "u-1", "email": "new@example.com"}))
    assert Respondent.objects.get().email == "new@example.com"
    assert not Event.objects.filter(kind=Event.Kind.IDENTITY).exists()


def test_internationalised_domains_are_one_person(post, routes):
    post(item(1, score=9, respondent={"email": "x@bücher.example"}))
    post(item(2, score=9, respondent={"email": "X@xn--bcher-kva.example"}))
    assert Respondent.objects.count() == 1


@pytest.mark.parametrize("erased, arriving", [("x@bücher.example", "x@xn--bcher-kva.example"), ("x@XN--BCHER-KVA.example", "X@Bücher.Example")])
def test_a_suppressed_address_is_recognised_in_either_spelling(post, routes, erased, arriving):
    Suppression.objects.create(digest=email_fingerprint(erased))
    [result] = post(item(1, respondent={"email": arriving, "name": "Gone"})).json()["results"]
    assert result["warnings"] and not Respondent.objects.exists() and not Case.objects.exists()


def test_a_suppressed_user_id_is_scoped_to_its_source(source, other_tool):
    from casework.feedback.respondents import id_fingerprint

    Suppression.objects.create(digest=id_fingerprint(source.pk, "u-9"))
    gone = match_respondent(source, Identity(external_id="u-9", name="Gone"), answered_at=_now())
    other = match_respondent(other_tool, Identity(external_id="u-9", name="Someone else"), answered_at=_now())
    assert gone == type(gone)(None, False)
    assert other.may_store_personal_data and other.respondent.name == "Someone else"


def test_one_by_one_matching_agrees_with_the_batch(source):
    first = match_respondent(source, Identity(external_id="u-1", email="a@example.com", name="A"), answered_at=_now())
    again = match_respondent(source, Identity(external_id="u-1", email="b@example.com", name="A2"), answered_at=_now())
    assert again.respondent.pk == first.respondent.pk and again.conflicts == ("email",)
    assert Respondent.objects.get().name == "A2" and Respondent.objects.get().email == "a@example.com"
    assert RespondentIdentity.objects.count() == 1


def _now():
    from django.utils import timezone

    return timezone.now()
