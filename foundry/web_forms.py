"""Form validators shared by the domains' forms."""

from __future__ import annotations

from urllib.parse import urlsplit

from wtforms.validators import ValidationError

from foundry.i18n import lazy_gettext as _l


def web_address(form, field) -> None:
    """Only http(s) addresses: a `javascript:` link would run as script when clicked."""
    if not field.data:
        return
    parts = urlsplit(field.data.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError(_l("Enter a web address starting with https:// or http://."))
