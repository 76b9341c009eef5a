"""Reading a JSON request body strictly: what two programs could read differently is refused."""

import json


class BadJson(ValueError):
    """The body is not JSON we accept; the message says why, for the 400 answer."""


def _no_duplicate_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            # Parsers disagree on which one wins, so a proxy or a log could see another value than we do.
            raise BadJson(f"The key {key!r} appears twice in one object.")
        seen[key] = value
    return seen


def load_json(body: bytes):
    try:
        return json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadJson(f"The body is not valid UTF-8 JSON: {error}.") from None
    except (RecursionError, ValueError) as error:
        if isinstance(error, BadJson):
            raise
        # Nesting thousands deep, or a number too long to read: no survey tool sends that.
        raise BadJson("The body is not valid JSON of a reasonable shape (too deeply nested or a number too long).") from None
