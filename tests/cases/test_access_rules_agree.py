"""What the case page offers and what the workflow accepts come from the same access functions: for
every role and status, the two agree (issue 9, point 5)."""

import pytest
from django.db import transaction

from casework.cases import workflow
from casework.cases.forms import StatusForm
from casework.cases.lifecycle import Status
from casework.cases.models import Case
from casework.outreach.models import Notification

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def accepted(action) -> bool:
    try:
        with transaction.atomic():
            action()
            raise Rollback
    except Rollback:
        return True
    except workflow.WorkflowError:
        return False


@pytest.fixture
def people(janis, maija, anna, admin_user):
    return {"staff": janis, "manager": maija, "other team": anna, "admin": admin_user}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("who", ["staff", "manager", "admin"])
def test_offered_status_changes_are_exactly_the_accepted_ones(people, who, status, make_case, payroll):
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(status=status, closed_at=case.created_at if status == Status.CLOSED else None)
    case.refresh_from_db()
    user = people[who]
    offered = {value for value, _label in StatusForm(case=case, user=user).fields["to"].choices}
    reason = {"reason": "no_action"}
    allowed = {
        target for target in Status
        if accepted(lambda target=target: workflow.change_status(case=Case.objects.get(pk=case.pk), to=target, actor=user, **(reason if target == Status.CLOSED else {})))
    }
    assert offered == allowed
    if status == Status.CLOSED:
        assert (Status.IN_PROGRESS in offered) == (who != "staff")


@pytest.mark.parametrize("who", ["staff", "manager", "admin"])
@pytest.mark.parametrize("state", ["unassigned", "mine", "closed"])
def test_the_claim_button_shows_exactly_when_claiming_works(client, people, who, state, make_case, payroll):
    user = people[who]
    case = make_case(team=payroll)
    if state == "mine":
        Case.objects.filter(pk=case.pk).update(assignee=user)
    if state == "closed":
        Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=case.created_at)
    client.force_login(user)
    shown = "/claim/" in client.get(case.get_absolute_url()).content.decode()
    works = accepted(lambda: workflow.claim_case(case=Case.objects.get(pk=case.pk), actor=user))
    assert shown == works
    assert works == (state == "unassigned" and who != "admin")  # administrators are in no team here


def test_a_colleague_a_case_was_shared_with_may_work_it_but_not_share_or_claim_it(client, janis, anna, make_case, payroll):
    case = make_case(team=payroll)
    workflow.share_case(case=case, actor=janis, colleague=anna)
    client.force_login(anna)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "/contacts/" in page and "/share/" not in page and "/claim/" not in page
    assert not accepted(lambda: workflow.claim_case(case=Case.objects.get(pk=case.pk), actor=anna))
    assert not Notification.objects.exists()
