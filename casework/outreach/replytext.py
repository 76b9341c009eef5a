"""The words a respondent wrote in a reply: the plain-text part (or the HTML part turned into text),
without the quoted e-mail below it, the signature or attachments, and cut to a size."""

import re
import unicodedata
from html.parser import HTMLParser

# A line that introduces the quoted e-mail, as Gmail, Thunderbird, Apple Mail and Outlook write it in
# English and Latvian ("On 24 Nov 2026, at 10:15, Jānis wrote:", "24.11.2026 10:15, Jānis rakstīja:").
QUOTE_HEADER = re.compile(r"^.{0,300}\b(wrote|writes|rakstīja|raksta|schrieb|a écrit)\s*:\s*$", re.IGNORECASE)
OUTLOOK_SEPARATOR = re.compile(r"^\s*(-{3,}\s*(original message|sākotnējais ziņojums|oriģinālais ziņojums)\s*-{3,}|_{10,})\s*$", re.IGNORECASE)
OUTLOOK_FROM = re.compile(r"^\s*\**(from|no)\s*:\**\s", re.IGNORECASE)
OUTLOOK_SENT = re.compile(r"^\s*\**(sent|date|nosūtīts|datums)\s*:\**\s", re.IGNORECASE)
MOBILE_SIGNATURE = re.compile(
    r"^\s*(sent from my \w+|get outlook for \w+|sent from (outlook|mail) for \w+|nosūtīts no (mana|manas) \w+|sūtīts no \w+)",
    re.IGNORECASE,
)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def reply_text(message, *, limit: int) -> tuple[str, bool]:
    """(the respondent's own words, whether they were cut to `limit` characters)."""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        body = None
    if body is None:
        return "", False
    text = _decoded(body)
    if body.get_content_type() == "text/html":
        text = html_to_text(text)
    elif body.get_param("format", "").lower() == "flowed":
        text = unflow(text, delsp=body.get_param("delsp", "").lower() == "yes")
    # Control characters (NUL above all, which PostgreSQL cannot store) are no part of anyone's words.
    text = _CONTROL.sub("", trim_reply(text))
    if len(text) > limit:
        return text[: limit - 1].rstrip() + "…", True
    return text, False


def _decoded(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
        # An unknown or wrong charset: keep what can be read rather than refuse the reply.
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 format=flowed: a line ending in a space continues on the next one."""
    lines, current = [], None
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if current is not None:
            line = current + line
            current = None
        if line.endswith(" ") and line != "-- ":
            current = line[:-1] if delsp else line
        else:
            lines.append(line)
    if current is not None:
        lines.append(current)
    return "\n".join(lines)


def trim_reply(text: str) -> str:
    """Cut the quoted e-mail and the signature; keep what the person wrote above (and between) them."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.rstrip() in ("--", "-- ") or MOBILE_SIGNATURE.match(line) or OUTLOOK_SEPARATOR.match(line):
            break
        if QUOTE_HEADER.match(line) or (line.strip() and QUOTE_HEADER.match(f"{line.strip()} {following.strip()}")):
            break
        if OUTLOOK_FROM.match(line) and any(OUTLOOK_SENT.match(later) for later in lines[index + 1 : index + 4]):
            break
        if line.lstrip().startswith(">"):
            continue  # quoted lines between the person's own (inline replies)
        kept.append(line.rstrip())
    text = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _HtmlText(HTMLParser):
    """HTML to plain text: only the text nodes, never markup, scripts or styles; quoted e-mails
    (blockquote, Gmail's and Thunderbird's quote blocks, Outlook's reply header) and signatures left out.
    The result is shown escaped like any respondent text."""

    SKIP = {"script", "style", "head", "title", "template", "noscript", "svg", "object", "iframe", "blockquote"}
    BLOCK = {"p", "div", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "hr", "section", "article", "header", "footer"}
    STOP_IDS = {"divrplyfwdmsg", "appendonsend", "x_divrplyfwdmsg", "mail-editor-reference-message-container"}
    STOP_CLASSES = {"gmail_quote", "moz-cite-prefix", "yahoo_quoted", "gmail_extra"}
    SIGNATURE_CLASSES = {"gmail_signature", "moz-signature"}
    VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping, self.depth, self.stopped = "", 0, False

    def handle_starttag(self, tag, attrs):
        if self.stopped:
            return
        if self.skipping:
            self.depth += tag == self.skipping
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").lower().split())
        if (attributes.get("id") or "").lower() in self.STOP_IDS or self.STOP_CLASSES & classes:
            self.stopped = True
        elif (tag in self.SKIP or self.SIGNATURE_CLASSES & classes) and tag not in self.VOID:
            self.skipping, self.depth = tag, 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if not (self.stopped or self.skipping) and tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.stopped:
            return
        if self.skipping:
            if tag == self.skipping:
                self.depth -= 1
                if not self.depth:
                    self.skipping = ""
            return
        if tag in self.BLOCK or tag == "li":
            self.parts.append("\n")

    def handle_data(self, data):
        if not (self.stopped or self.skipping):
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is forgiving; whatever it still chokes on, keep what was read
        pass
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# The rule for "only thanks" (README, "Replies from respondents"): short, says thanks, and every other
# word is a courtesy or a name. Such a reply to a closed case is put on the timeline, and the case stays closed.
THANKS = {"thanks", "thank", "thx", "ty", "tnx", "cheers", "paldies", "paldies!", "appreciated", "pateicos"}
COURTESY = {
    "you", "very", "much", "so", "a", "lot", "lots", "many", "again", "for", "the", "your", "help", "reply",
    "answer", "great", "good", "nice", "perfect", "wonderful", "awesome", "excellent", "super", "fine", "ok",
    "okay", "all", "it", "that", "this", "kind", "kindly", "regards", "best", "wishes", "warm", "with", "hi",
    "hello", "dear", "and", "have", "day", "quick", "fast", "response", "sorted", "now", "works", "fixed",
    "liels", "lielu", "loti", "jums", "jus", "tev", "par", "palidzibu", "atbildi", "visu", "sveicieni",
    "ar", "cienu", "labi", "lieliski", "jauki", "velreiz", "labu", "dienu", "sirsnigs", "sirsnigi", "sveiki",
    "labdien", "un", "tagad", "strada", "viss", "kartiba", "atrisinats", "atri", "izcili", "superigi",
}
THANKS_MAX_WORDS = 12


def _plain(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(char))


def is_only_thanks(text: str, *, names: list[str] = ()) -> bool:
    if "?" in text:
        return False
    words = re.findall(r"\w+", _plain(text))
    name_words = {word for name in names for word in re.findall(r"\w+", _plain(name or ""))}
    # Latvian addresses people in the vocative (Jānis → "Jāni", Anna → "Ann"), so a name matches by its stem.
    words = [word for word in words if not any(_same_name(word, name) for name in name_words)]
    if not words or len(words) > THANKS_MAX_WORDS or not THANKS & set(words):
        return False
    return all(word in THANKS or word in COURTESY for word in words)


def _same_name(word: str, name: str) -> bool:
    return word == name or (len(word) >= 3 and len(name) - len(word) <= 2 and name.startswith(word))
