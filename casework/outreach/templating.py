"""Closing e-mail templates: `{first_name}`-style placeholders and nothing else. An administrator's
text is filled by plain substitution, never run as a Django template, so it cannot reach model
internals or settings."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLACEHOLDERS = {
    "first_name": gettext_lazy("the respondent's first name"),
    "product": gettext_lazy("the product the feedback was about"),
    "action_summary": gettext_lazy("what was done (the case's action summary)"),
    "staff_name": gettext_lazy("the sender's name"),
    "company_name": gettext_lazy("your company's name"),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


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


def values_for(case, staff) -> dict[str, str]:
    from django.conf import settings

    respondent = case.respondent
    name = (respondent.name if respondent else "").strip()
    return {
        "first_name": name.split()[0] if name else "",
        "product": case.product,
        "action_summary": case.action_summary.strip(),
        "staff_name": (staff.get_full_name() or staff.get_username()) if staff else "",
        "company_name": settings.CASEWORK_COMPANY_NAME,
    }
