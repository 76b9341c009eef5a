"""The closing e-mail names what the person said and when, what was done and who did it; the composer
starts from the right template and previews the message exactly as sent (issue 11, points 5–9)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case
from casework.feedback.models import Response
from casework.outreach.models import EmailTemplate, Notification
from casework.outreach.optout import optout_url, record_objection
from casework.outreach.templating import day_in_words, excerpt

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def compose(client, user, case, **post):
    client.force_login(user)
    url = reverse("outreach:compose", args=[case.reference])
    return (client.post(url, post, headers=HTMX) if post else client.get(url, headers=HTMX)).text


@pytest.fixture
def answered_on_20_november(resolved_case):
    Response.objects.filter(pk=resolved_case.response_id).update(
        answered_at=datetime.datetime(2026, 11, 20, 10, 15, tzinfo=datetime.UTC), comment="Payslips take ages to load"
    )
    resolved_case.refresh_from_db()
    return resolved_case


def test_the_day_is_written_as_a_sentence_in_each_language():
    moment = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    assert day_in_words(moment, "en") == "20 November"
    assert day_in_words(moment, "lv") == "20. novembrī"


def test_a_long_comment_is_cut_at_a_word():
    cut = excerpt("word " * 60)
    assert cut.endswith("…") and len(cut) <= 121 and "  " not in cut
    assert excerpt("Short\nand sweet") == "Short and sweet"


@pytest.mark.parametrize(
    "locale, expected",
    [
        ("lv", ["Labdien, Anna!", "20. novembrī jūs mums rakstījāt par Payroll: “Payslips take ages to load”", "We released a fix.", "Jānis Ozols, Payroll"]),
        ("en", ["Hi Anna,", "On 20 November you told us about Payroll: “Payslips take ages to load”", "We released a fix.", "Jānis Ozols, Payroll"]),
    ],
)
def test_the_shipped_templates_say_what_when_and_who(client, janis, answered_on_20_november, locale, expected):
    answered_on_20_november.respondent.locale = locale
    answered_on_20_november.respondent.save()
    page = compose(client, janis, answered_on_20_november)
    for words in expected:
        assert words in page


def test_nothing_is_sent_while_what_we_did_is_empty(client, janis, resolved_case):
    Case.objects.filter(pk=resolved_case.pk).update(action_summary="  ")
    resolved_case.refresh_from_db()
    page = compose(client, janis, resolved_case, action="send", locale="en", subject="Thanks", body="Hello", version=resolved_case.version)
    assert "Fill in “What we did”" in page
    assert not Notification.objects.exists()
    assert Case.objects.get(pk=resolved_case.pk).status == "resolved"


def test_a_new_template_does_not_replace_the_default(client, janis, resolved_case):
    EmailTemplate.objects.create(name="Aaa newer", locale="lv", subject="Jauns", body="Cits teksts {first_name}")
    page = compose(client, janis, resolved_case)
    assert "Labdien, Anna!" in page and "Cits teksts" not in page


def test_a_teams_own_default_comes_first_and_other_teams_templates_are_not_offered(client, janis, resolved_case, accounting):
    EmailTemplate.objects.create(name="Payroll's", locale="lv", subject="Algas", body="Algu komanda: {first_name}", team=resolved_case.team, is_default=True)
    EmailTemplate.objects.create(name="Accounting's secret", locale="lv", subject="Gr", body="x", team=accounting, is_default=True)
    page = compose(client, janis, resolved_case)
    assert "Algu komanda: Anna" in page
    assert "Accounting&#x27;s secret" not in page and "Accounting's secret" not in page


def test_only_one_default_per_language():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        EmailTemplate.objects.create(name="Second default", locale="en", subject="s", body="b", is_default=True)


def test_the_preview_is_the_message_as_sent_in_the_respondents_language(client, janis, resolved_case):
    page = compose(client, janis, resolved_case, action="preview", locale="lv", subject="Labojām", body="Labdien!", version=resolved_case.version)
    preview = page[page.index("email-preview"):]
    assert "Nevēlaties šādus e-pastus? Atsakieties ar vienu klikšķi:" in preview
    assert "Don&#x27;t want" not in preview and optout_url(resolved_case.respondent).split("/optout/")[0] in preview


def test_the_opt_out_page_knows_you_already_opted_out(client, resolved_case, settings):
    settings.CASEWORK_COMPANY_NAME = "Algas SIA"
    link = optout_url(resolved_case.respondent)
    path = link[link.index("/optout/"):]
    first = client.get(path).text
    assert "Yes, stop these e-mails" in first and "Algas SIA" in first and "Casework" not in first
    record_objection(resolved_case.respondent, how="test")
    again = client.get(path).text
    assert "You have already opted out" in again and "Yes, stop these e-mails" not in again
    assert str(timezone.localdate().year) in again
