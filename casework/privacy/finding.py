"""Finding a respondent for the privacy desk: by any part of the e-mail address, name or company
(without diacritics or case: "berzina" finds "Bērziņa"), by a survey tool's user id, or by the number
of one of their cases."""

import re

from django.conf import settings
from django.db.models import Count

from casework.cases.models import Case
from casework.feedback.contact_details import email_key, search_key
from casework.feedback.models import Respondent, RespondentIdentity

MAX_RESULTS = 50


def find_respondents(query: str) -> list[Respondent]:
    query = query.strip()[:200]
    key = search_key(query)
    if not key:
        return []
    # Each way of finding someone is its own short query on its own column; the results are joined
    # by id, so no query needs an OR across tables.
    ids = set(Respondent.objects.filter(search_key__contains=key).values_list("pk", flat=True)[: MAX_RESULTS + 1])
    ids |= set(RespondentIdentity.objects.filter(external_id__iexact=query).values_list("respondent_id", flat=True)[:MAX_RESULTS])
    number = re.fullmatch(rf"(?:{re.escape(settings.CASEWORK_CASE_PREFIX)})?([0-9]{{1,9}})", query, flags=re.IGNORECASE)
    if number:
        ids |= set(Case.objects.filter(number=int(number[1]), respondent__isnull=False).values_list("respondent_id", flat=True))
    record = re.fullmatch(r"#([0-9]{1,12})", query)
    if record:
        ids.add(int(record[1]))
    return list(
        Respondent.objects.filter(pk__in=ids)
        .annotate(case_count=Count("cases", distinct=True), response_count=Count("responses", distinct=True))
        .order_by("name", "email", "pk")[:MAX_RESULTS]
    )


def respondent_by_reference(reference: str) -> Respondent | None:
    """For commands: a record number ("12" or "#12") or an exact e-mail address."""
    reference = reference.strip()
    if re.fullmatch(r"#?[0-9]{1,12}", reference):
        return Respondent.objects.filter(pk=int(reference.lstrip("#"))).first()
    if "@" in reference:
        return Respondent.objects.filter(email_key=email_key(reference)).first()
    return None
