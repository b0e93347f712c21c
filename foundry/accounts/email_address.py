"""One canonical form for every e-mail address the portal takes in.

Sign-up, invitations, password sign-in, password reset, the CLI, single sign-on claims and
the university look-up all pass what they were given through `normalise_email`, so two
spellings of one mailbox are one address, and a look-alike of an address is refused
instead of becoming a second account:

- Unicode NFKC, so full-width and other compatibility forms become plain letters
  (``ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ`` is ``alice@example.com``);
- the domain by IDNA (UTS-46) in its ASCII form (``bücher.de`` is ``xn--bcher-kva.de``);
- lower case throughout;
- no part that mixes scripts the way look-alikes do (a Cyrillic 'а' among Latin letters),
  and no part written wholly in Cyrillic or Greek letters that all look Latin ('асе').

Scripts are told by the Unicode character names (the standard library has no script
property); the mixes allowed are those of UTS 39's "highly restrictive" level: one script,
or Latin with Han and Japanese kana, with Han and Bopomofo, or with Han and Hangul.
"""

from __future__ import annotations

import itertools
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from foundry.errors import InvalidInput

MAX_LENGTH = 254

# Scripts that may share one part of an address (UTS 39, highly restrictive).
_ALLOWED_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
# Lower-case Cyrillic and Greek letters that are drawn like Latin ones: a part made only
# of these is a whole-script look-alike of a Latin address.
_ALPHABETS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
_LATIN_LOOK_ALIKES = frozenset("аеорсухіјѕԁԛԝӏһқԍвмнтьκνορτυχιαγεικоѵ")


class InvalidEmailAddress(InvalidInput):
    """The text is not an e-mail address we can take (the message says why)."""


def normalise_email(raw: object, *, canonical_only: bool = False) -> str:
    """The canonical form of the address `raw`; InvalidEmailAddress when it is none.

    With `canonical_only`, an address that needed more than lower-casing to reach its
    canonical form (full-width letters, a Unicode domain) is refused: an identity
    provider's claim, or a university address typed to find the university, must
    already be written plainly.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidEmailAddress(_("Enter an e-mail address such as name@example.com."))
    text = unicodedata.normalize("NFKC", raw.strip())
    try:
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except (EmailNotValidError, UnicodeError, ValueError):
        raise InvalidEmailAddress(_("Enter an e-mail address such as name@example.com.")) from None
    local = unicodedata.normalize("NFKC", checked.local_part.lower())
    domain = checked.ascii_domain.lower()
    for part in [local, *checked.domain.lower().split(".")]:
        _refuse_look_alikes(part)
    address = f"{local}@{domain}"
    if len(address) > MAX_LENGTH:
        raise InvalidEmailAddress(_("An e-mail address has at most 254 characters."))
    if canonical_only and address != raw.strip().lower():
        raise InvalidEmailAddress(
            _(
                "Type the address in plain letters: it has full-width or other "
                "special forms of characters."
            )
        )
    return address


def require_canonical(address: str | None) -> str | None:
    """For the models' validators: an address is stored only in canonical form, so a new
    way in that forgets `normalise_email` fails loudly instead of storing a look-alike."""
    if address is not None and normalise_email(address) != address:
        raise ValueError(f"e-mail address not in canonical form: {address!r}")
    return address


def email_domain(address: str) -> str:
    """The domain of an address already in canonical form (ASCII, lower case)."""
    return address.rpartition("@")[2]


def _script(char: str) -> str | None:
    """The script of a letter, or None for digits, marks and punctuation (common to all)."""
    if char.isascii() and not char.isalpha():
        return None
    if unicodedata.category(char)[0] not in "LN":
        return None
    name = unicodedata.name(char, "")
    if name.startswith("CJK ") or name.startswith("IDEOGRAPHIC"):
        return "HAN"
    if name.startswith("KATAKANA-HIRAGANA"):
        return "KATAKANA"
    return name.split(" ", 1)[0] or "UNKNOWN"


def _refuse_look_alikes(part: str) -> None:
    scripts = {s for s in map(_script, part) if s is not None}
    mixed = len(scripts) > 1 and not any(scripts <= allowed for allowed in _ALLOWED_MIXES)
    # A mark left over after NFKC on a Latin, Greek or Cyrillic letter ("i" + dot above)
    # draws a letter the script already has: a look-alike.
    stray_mark = any(
        unicodedata.category(c) == "Mn" and _script(before) in _ALPHABETS
        for before, c in itertools.pairwise(part)
    )
    if mixed or stray_mark:
        raise InvalidEmailAddress(
            _(
                "This address mixes letters of different alphabets that look alike (for "
                "example a Cyrillic “а” among Latin letters). Type it again in one alphabet."
            )
        )
    letters = [c for c in part if c.isalpha()]
    if letters and scripts <= {"CYRILLIC", "GREEK"} and set(letters) <= _LATIN_LOOK_ALIKES:
        raise InvalidEmailAddress(
            _(
                "This address is written in Cyrillic or Greek letters that all look like "
                "Latin ones, so it could be mistaken for another address. Type it in Latin "
                "letters."
            )
        )
