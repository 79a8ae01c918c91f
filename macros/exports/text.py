"""Text values both formats hold to: iCalendar (RFC 5545) and vCard (RFC 6350, RFC 2426).

Every text value goes through ``text_value()``: line breaks (CR, LF, CRLF and the Unicode ones)
become the ``\\n`` escape, tabs spaces, any other control character U+FFFD, and backslash, semicolon
and comma are escaped. No value can end a content line, so no text can start a property, an event
or a card. The validator refuses these characters in the data already; this holds the files to
the format on its own.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from icalendar import vCategory, vText

_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def clean_text(value: str) -> str:
    """The text as the files can hold it: every kind of line break as LF, tabs as spaces, any
    other control character as U+FFFD (neither format has a way to write one)."""
    return _CONTROLS.sub("\ufffd", _BREAKS.sub("\n", value).replace("\t", " "))


def text_value(value: str) -> str:
    """A TEXT value escaped as RFC 5545 (3.3.11) and RFC 6350 (3.4) ask: backslash, semicolon
    and comma escaped, each line break (CRLF, LF, CR or another) as \\n; see clean_text()."""
    return (clean_text(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def param_value(value: str) -> str:
    """A property parameter value (RFC 5545 3.1, RFC 6350 3.3): no control characters and no
    double quote (neither can be written in one), quoted when it holds ``:``, ``;`` or ``,``."""
    value = clean_text(value).replace("\n", " ").replace('"', "'")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def uri_value(value: str) -> str:
    """A URI with nothing in it that could end or break a content line: spaces, controls and
    non-ASCII percent-encoded."""
    return quote(value, safe="!#$%&'()*+,/:;=?@[]~")


class Text(vText):
    """icalendar's TEXT value, written by ``text_value()``.

    vText reads a backslash followed by N as a line break, so a value such as 'C:\\New' would
    not come back as written; otherwise it is the same type, and readers see a plain vText.
    """

    def to_ical(self) -> bytes:
        return text_value(str(self)).encode(self.encoding)


class Categories(vCategory):
    """CATEGORIES whose items are ``Text``."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(items)
        self.cats = [Text(c) for c in items]
