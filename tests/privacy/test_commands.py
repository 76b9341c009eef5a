"""`manage.py privacy …` for runbooks and bulk requests: the desk's services and request records."""

import pytest
from django.core.management import CommandError, call_command

from casework.cases.models import Event
from casework.feedback.models import Respondent
from casework.privacy.models import PrivacyRequest

pytestmark = pytest.mark.django_db


def test_find(anna, bob, capsys):
    call_command("privacy", "find", "berzina")
    out = capsys.readouterr().out
    assert f"#{anna.respondent.pk}\tAnna Bērziņa\t{anna.email}" in out and bob.email not in out


def test_rectify_restrict_unrestrict_object_erase(anna, dace, capsys):
    ref = str(anna.respondent.pk)
    call_command("privacy", "rectify", anna.email, "--name", "Anna Ozola", "--by", "dace", "--received", "2026-11-02")
    assert "Corrected: name." in capsys.readouterr().out
    call_command("privacy", "restrict", ref, "--by", "dace")
    assert Respondent.objects.get(pk=anna.respondent.pk).restricted_at
    call_command("privacy", "unrestrict", ref, "--reason", "Resolved", "--by", "dace")
    call_command("privacy", "object", ref)
    with pytest.raises(CommandError, match="exactly to confirm"):
        call_command("privacy", "erase", ref, "--confirm", "someone@else.example")
    call_command("privacy", "erase", f"#{ref}", "--confirm", anna.email)
    respondent = Respondent.objects.get(pk=anna.respondent.pk)
    assert respondent.erased_at and respondent.objected_at and not respondent.restricted_at
    kinds = list(PrivacyRequest.objects.filter(respondent=respondent).order_by("pk").values_list("kind", "action", "channel"))
    assert kinds[-5:] == [
        ("rectification", "rectified", "command"), ("restriction", "restricted", "command"),
        ("restriction", "lifted", "command"), ("objection", "objected", "command"), ("erasure", "erased", "command"),
    ]
    assert PrivacyRequest.objects.get(kind="rectification").received_on.isoformat() == "2026-11-02"
    assert Event.objects.filter(kind="privacy", actor=dace, data__action="restricted").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "nobody@example.com"], "No respondent"),
        (["object", "1", "--by", "janis"], "not an active privacy officer"),
        (["object", "1", "--received", "yesterday"], "must be a date"),
        (["rectify", "1", "--country", "XX"], "country"),
    ],
)
def test_mistakes_are_clear_errors(anna, janis, args, message):
    args = [str(anna.respondent.pk) if arg == "1" else arg for arg in args]
    with pytest.raises(CommandError, match=message):
        call_command("privacy", *args)
