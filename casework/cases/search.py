"""Free-text search over cases on the database's own full-text engine: SQLite FTS5, PostgreSQL
tsvector + GIN. Both see the same words, because the text is made plain here first (lower case,
no accents, letters and digits only), so "berzina" finds "Bērziņa" and a search answers the same
on both databases.

Each case has one search row (`CaseSearch`): its heading (case number, the respondent's name, e-mail
address and company) and its body (the comments of its responses and the notes of its contacts).
Every write that changes one of those texts calls `refresh_cases` or `refresh_respondents` in the
same transaction, erasure and retention included, so erased text leaves the index with the data.

A search matches cases that hold every part of the query (split at spaces) as words in that order, the
last one possibly unfinished, and a part in double quotes as one phrase: "berz" finds Bērziņa, "seed.example" and "anna@seed" find
anna@seed.example, "104" finds CW-1042. A part with "@" is looked for among e-mail addresses only. Ranked: the case with that number, then cases matched on the heading, then those
matched only in comments and notes; each in "most urgent first" order."""

import re
import unicodedata
from collections import defaultdict
from itertools import batched

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .models import Case, CaseResponse, CaseSearch, Contact

CHUNK = 500
MAX_WORDS = 8


def plain(text: str) -> str:
    """Lower case, accents removed, anything but letters and digits a space."""
    decomposed = unicodedata.normalize("NFKD", text or "").casefold()
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.findall(r"[^\W_]+", stripped))


def words(query: str) -> list[str]:
    return plain(query).split()[:MAX_WORDS]


def phrases(query: str) -> list[tuple[list[str], bool]]:
    """What each part of the query asks for: its words in that order (a phrase, the last word
    possibly unfinished), and whether it is (part of) an e-mail address, searched among addresses
    only: "ik@firma" finds ik@firma.lv, not a person named Ik Firma. Parts are split at spaces,
    except inside double quotes: "payroll 2" in quotes is one phrase."""
    found, total = [], 0
    for quoted, bare in re.findall(r'"([^"]*)"?|(\S+)', query):
        chunk = quoted or bare
        parts = plain(chunk).split()[: MAX_WORDS - total]
        if parts:
            found.append((parts, "@" in chunk))
            total += len(parts)
    return found


def case_number_in(query: str) -> int | None:
    digits = query.strip().upper().removeprefix(settings.CASEWORK_CASE_PREFIX.upper())
    if digits.isascii() and digits.isdigit() and len(digits) <= 9:
        return int(digits)
    return None


# Writes.


def refresh_cases(case_ids) -> None:
    """Rebuilds the search rows of these cases from what is stored now."""
    for chunk in batched(sorted(set(case_ids)), CHUNK):
        cases = Case.objects.filter(pk__in=chunk).values_list(
            "pk", "number", "respondent__name", "respondent__email", "respondent__company"
        )
        body = defaultdict(list)
        comments = CaseResponse.objects.filter(case_id__in=chunk).exclude(response__comment="")
        for case_id, text in comments.order_by("pk").values_list("case_id", "response__comment"):
            body[case_id].append(text)
        for case_id, text in Contact.objects.filter(case_id__in=chunk).exclude(summary="").order_by("pk").values_list("case_id", "summary"):
            body[case_id].append(text)
        rows = [
            CaseSearch(
                case_id=pk,
                heading=plain(f"{settings.CASEWORK_CASE_PREFIX}{number} {name or ''} {company or ''}"),
                email=plain(email or ""),
                body=plain(" ".join(body[pk])),
            )
            for pk, number, name, email, company in cases
        ]
        CaseSearch.objects.bulk_create(rows, update_conflicts=True, unique_fields=["case"], update_fields=["heading", "email", "body"])


def refresh_respondents(respondent_ids) -> None:
    """After a person's details changed (a new answer, rectification, erasure)."""
    ids = [pk for pk in set(respondent_ids) if pk is not None]
    for chunk in batched(ids, CHUNK):
        refresh_cases(Case.objects.filter(respondent_id__in=chunk).values_list("pk", flat=True))


# Reads.


def _fts_query(query: str, columns: tuple[str, ...] | None) -> tuple[str, list]:
    """Every phrase of the query, in `columns` (else anywhere); e-mail parts among addresses only."""
    if connection.vendor == "sqlite":
        conditions = []
        for parts, is_email in phrases(query):
            phrase = '"' + " ".join(parts) + '"*'
            within = ("email",) if is_email else columns
            conditions.append(f"{{{' '.join(within)}}} : {phrase}" if within else phrase)
        return "SELECT rowid FROM cases_casesearch_fts WHERE cases_casesearch_fts MATCH %s", [" AND ".join(conditions)]
    conditions = []
    for parts, is_email in phrases(query):
        within = ("email",) if is_email else columns
        weights = "".join(WEIGHTS[column] for column in within) if within else ""
        words_ = [f"{part}:{weights}" if weights else part for part in parts[:-1]] + [f"{parts[-1]}:*{weights}"]
        conditions.append("(" + " <-> ".join(words_) + ")")
    return f"SELECT case_id FROM cases_casesearch WHERE {VECTOR_SQL} @@ to_tsquery('simple'::regconfig, %s)", [" & ".join(conditions)]


WEIGHTS = {"heading": "A", "body": "B", "email": "C"}
# The same expression as the GIN index of migration 0013, so PostgreSQL reads the index.
VECTOR_SQL = (
    "(setweight(to_tsvector('simple'::regconfig, heading), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, email), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'B'))"
)


def matching(query: str) -> Q | None:
    """The cases a search finds, as a condition on cases; None for a query without a word."""
    terms, number = words(query), case_number_in(query)
    if not terms and number is None:
        return None
    condition = Q(pk__in=[])
    if terms:
        condition |= Q(pk__in=RawSQL(*_fts_query(query, None)))
    if number is not None:
        condition |= Q(number=number)
    return condition


def ranked(cases, query: str) -> list:
    """`cases` (already narrowed by `matching`) in relevance tiers, most relevant first."""
    terms, number = words(query), case_number_in(query)
    tiers = []
    if number is not None:
        tiers.append(cases.filter(number=number))
        cases = cases.exclude(number=number)
    if terms:
        on_heading = Q(pk__in=RawSQL(*_fts_query(query, ("heading", "email"))))
        tiers += [cases.filter(on_heading), cases.exclude(on_heading)]
    return tiers or [cases]
