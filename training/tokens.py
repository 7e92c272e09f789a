"""Signed links for trainees, who need no login.

- The sign-in code of a session, shown as a QR code in the room, is short-lived: the room page
  draws a new one every minute and each is accepted for `TRAINING_SIGN_IN_MAX_AGE` seconds, so a
  photo of it passed around after the class is worthless.
- The feedback link a trainee gets on signing in names the enrolment and lasts for weeks.

Both are signed with SECRET_KEY (django.core.signing); a changed or forged token fails the check.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

SIGN_IN_SALT = "training.sign-in"
FEEDBACK_SALT = "training.feedback"


class BadToken(Exception):
    """The token is forged, damaged or expired; `expired` tells which."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "bad signature")
        self.expired = expired


def _load(token: str, salt: str, max_age: int) -> int:
    try:
        value = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise BadToken(expired=True) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise BadToken(expired=False) from None
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        raise BadToken(expired=False)
    return value["id"]


def sign_in_token(session) -> str:
    return signing.TimestampSigner(salt=SIGN_IN_SALT).sign_object({"id": session.pk})


def session_id_from(token: str) -> int:
    return _load(token, SIGN_IN_SALT, settings.TRAINING_SIGN_IN_MAX_AGE)


def feedback_token(enrolment) -> str:
    return signing.TimestampSigner(salt=FEEDBACK_SALT).sign_object({"id": enrolment.pk})


def enrolment_id_from(token: str) -> int:
    return _load(token, FEEDBACK_SALT, settings.TRAINING_FEEDBACK_MAX_AGE)
