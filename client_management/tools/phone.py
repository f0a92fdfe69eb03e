"""The one phone number parser of the addon: the phone lines (``res.partner.phone``), the
import (``importer.values.parse_phone``) and the lookup (``res.partner.find_by_phone``) all
read a written number here, so the same text gives the same E.164 everywhere.

* ``00`` stands for ``+`` ("00371 26 123 456"); a number without ``+`` / ``00`` is read in the
  given region (ISO code), national trunk prefixes included ("8 (912) 345-67-89" in RU,
  "030 1234 5678" in DE); without a region it is refused.
* Separators allowed in the number: spaces, ``( ) . / - –``; any other character (letters, a
  second number) makes it invalid.
* An extension at the end ("ext. 12", "x12", "#12", ";ext=12", "доб. 12", "wew. 12",
  "kl. 12", "linka 12") is kept apart: the E.164 is the number without it (what the
  lookup and the matching compare), the extension stays in the number as written.
"""

import functools
import re
from typing import NamedTuple

import phonenumbers

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# Without an environment, messages are lazy terms (translated by the caller in the user's
# language): no self.env._ here.
# pylint: disable=prefer-env-translation

_EXTENSION = re.compile(
    r"\s*[,;]?\s*(?:;?\s*ext\s*=|ext\.?|extension|x|#|доб\.?|wew\.?|kl\.?|linka)\s*:?\s*(\d{1,7})\s*$",
    re.IGNORECASE,
)
_ALLOWED = re.compile(r"^[\d\s()+./\-–]+$")
_MAX_LENGTH = 60  # characters of a written number (a longer text is not a number)


class PhoneError(ValueError):
    """A written number that cannot be read; ``reason`` is ``invalid`` or ``no_country``
    and ``args[0]`` a lazy message for the user."""

    def __init__(self, reason, text):
        if reason == "no_country":
            msg = _lt("“%(value)s” has no country code (+…) and no default country was chosen", value=text)
        else:
            msg = _lt("“%(value)s” is not a valid phone number", value=text)
        super().__init__(msg)
        self.reason = reason


class Phone(NamedTuple):
    e164: str  # without the extension
    display: str  # international form, with " ext. N" when there is one
    extension: str  # "" when none


def split_extension(text):
    """(number, extension) of a written number: "+371 67 123 456 ext. 12" →
    ("+371 67 123 456", "12"); the extension is "" when there is none."""
    text = (text or "").strip()
    if text.lower().startswith("tel:"):
        text = text[4:].strip()
    match = _EXTENSION.search(text)
    if not match or not re.search(r"\d", text[: match.start()]):
        return text, ""
    return text[: match.start()].strip(), match.group(1)


def parse_phone(text, region=None):
    """The :class:`Phone` of a written number; ``region`` (ISO code) is used for numbers
    written without "+" or "00". Raises :class:`PhoneError`."""
    written = (text or "").strip()
    raw, extension = split_extension(written)
    if not raw or len(written) > _MAX_LENGTH or not _ALLOWED.match(raw) or not re.search(r"\d", raw):
        raise PhoneError("invalid", written)
    compact = re.sub(r"[^\d+]", "", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if "+" in compact[1:]:
        raise PhoneError("invalid", written)
    if compact.startswith("+"):
        region = None
    elif not region:
        raise PhoneError("no_country", written)
    parsed = _parse_compact(compact, region.upper() if region else None)
    if not parsed:
        raise PhoneError("invalid", written)
    e164, display = parsed
    return Phone(e164, f"{display} ext. {extension}" if extension else display, extension)


@functools.lru_cache(maxsize=8192)
def _parse_compact(compact, region):
    """(E.164, international form) of digits with an optional leading "+", or None. Cached: an
    import reads each number twice (the cell, then the line created with its international
    form, which is the same digits)."""
    try:
        number = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
    )


def parse_phone_or_none(text, region=None):
    """:func:`parse_phone`, or None when the number cannot be read."""
    try:
        return parse_phone(text, region)
    except PhoneError:
        return None
