"""The offline scanner's sync: a batch of queued scans checked as a whole (a batch that is
not one is refused and writes nothing), then item by item, and recorded in one statement
(checkin.record_attendance). The design is in foundry/programmes/checkin.py."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _

from foundry.accounts.models import User
from foundry.db import utcnow
from foundry.errors import InvalidInput
from foundry.programmes import checkin_tokens as tokens
from foundry.programmes.checkin import (
    CLOCK_SKEW,
    CheckInRefused,
    Scan,
    check_window,
    record_attendance,
    require_check_in,
    resolve,
)
from foundry.programmes.checkin_models import CLIENT_ID_MAX, SCAN_ID_MAX, CheckInMethod
from foundry.programmes.models import ProgrammeSession

MAX_SYNC_BATCH = 1000


# --- the offline scanner's sync -------------------------------------------------------------


def parse_batch(payload) -> list[Scan | InvalidInput]:
    """The scans of a sync request: InvalidInput for a batch that is not one (nothing is
    written then), and an InvalidInput in place of each item that is garbage."""
    scans = payload.get("scans") if isinstance(payload, dict) else None
    if not isinstance(scans, list) or not scans:
        raise InvalidInput(_("Send a JSON object with a non-empty list of scans."))
    if len(scans) > MAX_SYNC_BATCH:
        raise InvalidInput(_("Send at most %(limit)d scans at once.", limit=MAX_SYNC_BATCH))
    return [_parse_item(item) for item in scans]


def _parse_item(item) -> Scan | InvalidInput:
    if not isinstance(item, dict):
        return InvalidInput(_("This scan is not a JSON object."))
    scan_id, client_id = item.get("scan_id"), item.get("client_id")
    for value, limit in ((scan_id, SCAN_ID_MAX), (client_id, CLIENT_ID_MAX)):
        if not isinstance(value, str) or not 0 < len(value) <= limit:
            return InvalidInput(_("This scan has no valid scan_id and client_id."))
    scanned_at = _moment(item.get("scanned_at"))
    if scanned_at is None:
        return InvalidInput(_("This scan has no valid scanned_at time."))
    given = [key for key in ("token", "code", "registration_id") if item.get(key) is not None]
    if len(given) != 1:
        return InvalidInput(_("A scan carries exactly one of token, code or registration_id."))
    key, value = given[0], item[given[0]]
    if key == "registration_id":
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return InvalidInput(_("This scan's registration_id is not a valid id."))
    elif not isinstance(value, str) or len(value) > tokens.TOKEN_MAX:
        return InvalidInput(_("This scan's token or code is not valid text."))
    method = {
        "token": CheckInMethod.SCAN,
        "code": CheckInMethod.CODE,
        "registration_id": CheckInMethod.LIST,
    }[key]
    return Scan(method, scanned_at=scanned_at, client_id=client_id, scan_id=scan_id, **{key: value})


def _moment(value) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else None


def sync_scans(actor: User, session: ProgrammeSession, items: list[Scan | InvalidInput]):
    """Record a parsed batch; a result per item, in order: {scan_id, ok, status, message,
    registration_id, checked_in_at}. Refused and garbage items do not stop the others."""
    require_check_in(actor, session)
    now = utcnow()
    results: list[dict | None] = [None] * len(items)
    pending: list[tuple[int, Scan]] = []
    for index, item in enumerate(items):
        if isinstance(item, InvalidInput):
            results[index] = _refused(None, "invalid", item.message)
            continue
        try:
            if item.scanned_at > now + CLOCK_SKEW:
                raise CheckInRefused(_("This scan's time is in the future."))
            check_window(session, item.scanned_at)
        except CheckInRefused as refusal:
            results[index] = _refused(item, "refused", refusal.message)
            continue
        pending.append((index, item))
    resolved = resolve(session, [scan for _i, scan in pending])
    to_record = []
    for (index, scan), found in zip(pending, resolved, strict=True):
        if isinstance(found, CheckInRefused):
            results[index] = _refused(scan, "refused", found.message)
        else:
            to_record.append((index, found, scan))
    recorded = record_attendance(actor, session, [(reg, scan) for _i, reg, scan in to_record])
    for (index, seat, scan), result in zip(to_record, recorded, strict=True):
        results[index] = {
            "scan_id": scan.scan_id,
            "ok": True,
            "status": "checked_in" if result.newly else "already_checked_in",
            "message": result.message,
            "registration_id": seat.id,
            "checked_in_at": result.attendance.checked_in_at.isoformat(),
        }
    return results


def _refused(scan: Scan | None, status: str, message: str) -> dict:
    return {
        "scan_id": scan.scan_id if scan else None,
        "ok": False,
        "status": status,
        "message": message,
        "registration_id": None,
        "checked_in_at": None,
    }
