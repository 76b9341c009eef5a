"""The "comment" filter keeps cases whose opening answer came with a comment, or those without."""

import pytest

from casework.cases.models import Case
from casework.feedback.models import has_comment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/cases/", "/teams/payroll/"])
@pytest.mark.parametrize("value, expected", [("true", "with"), ("false", "without"), ("", "both")])
def test_the_comment_filter(client, maija, make_case, payroll, url, value, expected):
    with_comment = make_case(team=payroll, comment="Slow payslips")
    without = make_case(team=payroll, comment="")
    Case.objects.update(assignee=maija)
    client.force_login(maija)
    listed = {case.pk for case in client.get(url, {"commented": value}).context["page"].object_list}
    wanted = {"with": {with_comment.pk}, "without": {without.pk}, "both": {with_comment.pk, without.pk}}[expected]
    assert listed == wanted


def test_whitespace_alone_is_no_comment():
    assert not has_comment("  \n ") and has_comment(" ok ")
