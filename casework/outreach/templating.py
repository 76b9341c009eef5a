"""Closing e-mail templates: `{first_name}`-style placeholders and nothing else. An administrator's
text is filled by plain substitution, never run as a Django template, so it cannot reach model
internals or settings."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from casework.cases.templatetags.casework import MONTHS_ON  # the one list of month names after "on"

PLACEHOLDERS = {
    "first_name": gettext_lazy("the respondent's first name"),
    "product": gettext_lazy("the product the feedback was about"),
    "comment_excerpt": gettext_lazy("the start of what the respondent wrote"),
    "answered_on": gettext_lazy("the day they answered, in their language"),
    "action_summary": gettext_lazy("what was done (the case's action summary)"),
    "staff_name": gettext_lazy("the sender's name"),
    "team_name": gettext_lazy("the case's team"),
    "company_name": gettext_lazy("your company's name"),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
EXCERPT_LENGTH = 120


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def check_placeholders(**texts) -> None:
    errors = {}
    for field, text in texts.items():
        unknown = unknown_placeholders(text)
        if unknown:
            errors[field] = _("Unknown placeholders: %(names)s. Allowed: %(allowed)s.") % {
                "names": ", ".join("{%s}" % name for name in unknown),
                "allowed": ", ".join("{%s}" % name for name in PLACEHOLDERS),
            }
    if errors:
        raise ValidationError(errors)


def render(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: str(values.get(match[1], match[0])), text)


def values_for(case, staff, *, locale: str = "en") -> dict[str, str]:
    respondent = case.respondent
    name = (respondent.name if respondent else "").strip()
    opening = case.response
    return {
        "first_name": name.split()[0] if name else "",
        "product": case.product,
        "comment_excerpt": excerpt(opening.comment),
        "answered_on": day_in_words(opening.answered_at, locale),
        "action_summary": case.action_summary.strip(),
        "staff_name": (staff.get_full_name() or staff.get_username()) if staff else "",
        "team_name": case.team.name,
        "company_name": settings.CASEWORK_COMPANY_NAME,
    }


def respondent_language(respondent) -> str:
    """One of settings.LANGUAGES for the person ("lv-LV" → "lv"); English when unknown."""
    locale = ((respondent.locale if respondent else "") or "").split("-")[0].lower()
    return locale if locale in dict(settings.LANGUAGES) else "en"


def excerpt(comment: str) -> str:
    """The comment on one line, cut at a word near EXCERPT_LENGTH characters."""
    text = " ".join(comment.split())
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[:EXCERPT_LENGTH].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def day_in_words(moment, locale: str) -> str:
    """"20 November" / "20. novembrī": the day an answer was given, as a sentence in `locale` says it."""
    day = timezone.localtime(moment)
    with translation.override(locale):
        return pgettext("day and month", "%(day)d %(month)s") % {"day": day.day, "month": str(MONTHS_ON[day.month - 1])}
