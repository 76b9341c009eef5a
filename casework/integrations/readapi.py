"""The read API (README, "Read API"): `GET /api/v1/cases`, `/api/v1/cases/<reference>` and
`/api/v1/responses`. A token with the read scope sees exactly what a member of its teams sees: every
query starts from `access.visible_cases_of_teams`, a case of another team is a 404 like on every
page, and the case list takes the case list's own filters (cases/filters.py). Lists are paged by an
opaque cursor over a stable order (case number, response id), so a client walking the pages never
sees a row twice or misses one because something changed in between."""

import base64
import binascii

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from casework.cases.access import case_number, visible_cases_of_teams
from casework.cases.filters import CaseFilter
from casework.cases.models import Event
from casework.feedback.models import Response
from casework.feedback.tokens import reader_for_token
from casework.teams.models import Team

from .representation import (
    CaseDetailOut,
    CaseOut,
    EventReader,
    MetricName,
    Out,
    ResponseOut,
    case_out,
    person_out,
    response_out,
)

PAGING = ("cursor", "limit")


class ErrorOut(BaseModel):
    """Every 4xx of the API: a sentence, and (where a field is to blame) messages per field."""

    error: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class CaseList(Out):
    results: list[CaseOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class ResponseList(Out):
    results: list[ResponseOut]
    next_cursor: str | None


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    cursor: str | None = Field(default=None, max_length=100, description="From the previous page's next_cursor")
    limit: int = Field(default=50, ge=1, le=200)


class ResponseQuery(PageQuery):
    metric: MetricName | None = None
    # No control characters: PostgreSQL cannot even compare text holding NUL (a 500 before).
    product: str | None = Field(
        default=None, max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$", description="Exact product name, any letter case"
    )
    received_after: AwareDatetime | None = Field(default=None, description="Only responses received at or after this time")


def _json(model: BaseModel, status: int = 200) -> HttpResponse:
    return HttpResponse(model.model_dump_json(), status=status, content_type="application/json")


def _error(status: int, message: str, errors=None) -> HttpResponse:
    answer = _json(ErrorOut(error=message, errors=errors or {}), status)
    if status == 401:
        answer["WWW-Authenticate"] = 'Bearer realm="casework"'
    return answer


def _reader(request):
    scheme, _space, plaintext = request.headers.get("Authorization", "").partition(" ")
    token = reader_for_token(plaintext.strip()) if scheme.lower() == "bearer" and plaintext.strip() else None
    return token


def _unauthorised():
    return _error(401, "A token with the read scope is required: send 'Authorization: Bearer <token>'.")


def _cursor(value: int | None) -> str | None:
    return None if value is None else base64.urlsafe_b64encode(f"after:{value}".encode()).decode().rstrip("=")


def _after(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError from None
    prefix, _colon, number = text.partition(":")
    if prefix != "after" or not number.isdigit() or len(number) > 18:
        raise ValueError
    return int(number)


def _page(query_class, request):
    """(query, after, None) or (None, None, an error answer)."""
    try:
        query = query_class.model_validate({key: request.GET.get(key) for key in request.GET if key in query_class.model_fields})
    except ValidationError as error:
        errors: dict[str, list[str]] = {}
        for problem in error.errors():
            errors.setdefault(".".join(str(part) for part in problem["loc"]) or "query", []).append(problem["msg"])
        return None, None, _error(400, "Some query parameters are not valid.", errors)
    try:
        after = _after(query.cursor)
    except ValueError:
        return None, None, _error(400, "The cursor is not one this API gave out.", {"cursor": ["Not a valid cursor."]})
    return query, after, None


@login_not_required
@never_cache
@require_GET
def list_cases(request):
    token = _reader(request)
    if token is None:
        return _unauthorised()
    page, after, problem = _page(PageQuery, request)
    if problem:
        return problem
    cases = visible_cases_of_teams(token.team_ids).for_list().prefetch_related("tags").order_by("number")
    data = request.GET.copy()
    for key in PAGING:
        data.pop(key, None)
    case_filter = CaseFilter(data, queryset=cases, request=request, teams=Team.objects.filter(pk__in=token.team_ids))
    del case_filter.filters["sort"]  # the order is the cursor's
    if not case_filter.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in case_filter.errors.items()}
        return _error(400, "Some filters are not valid.", errors)
    rows = list(case_filter.qs.filter(number__gt=after)[: page.limit + 1])
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return _json(CaseList(results=[case_out(case) for case in rows], next_cursor=_cursor(rows[-1].number) if more else None))


@login_not_required
@never_cache
@require_GET
def case_detail(request, reference):
    token = _reader(request)
    if token is None:
        return _unauthorised()
    number = case_number(reference)
    case = (
        visible_cases_of_teams(token.team_ids).for_list().prefetch_related("tags").filter(number=number).first()
        if number is not None else None
    )
    if case is None:
        return _error(404, "No such case.")
    events = list(Event.objects.filter(case=case).select_related("actor"))
    reader = EventReader(events, with_text=True)
    responses = Response.objects.filter(case_link__case=case).select_related("source", "respondent").order_by("answered_at", "pk")
    detail = CaseDetailOut(
        **case_out(case).model_dump(),
        respondent=person_out(case.respondent),
        responses=[response_out(response, case_reference=case.reference) for response in responses],
        events=[reader.out(event) for event in events],
    )
    return _json(detail)


def list_responses(request):
    """GET on /api/v1/responses (intake's URL, which hands GETs here: intake/api.py)."""
    token = _reader(request)
    if token is None:
        return _unauthorised()
    query, after, problem = _page(ResponseQuery, request)
    if problem:
        return problem
    responses = (
        Response.objects.filter(case_link__case__in=visible_cases_of_teams(token.team_ids))
        .select_related("source", "respondent", "case_link__case")
        .filter(pk__gt=after)
        .order_by("pk")
    )
    if query.metric:
        responses = responses.filter(metric=query.metric)
    if query.product:
        responses = responses.filter(product__iexact=query.product)
    if query.received_after:
        responses = responses.filter(received_at__gte=query.received_after)
    rows = list(responses[: query.limit + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    results = [response_out(response, case_reference=response.case_link.case.reference) for response in rows]
    return _json(ResponseList(results=results, next_cursor=_cursor(rows[-1].pk) if more else None))
