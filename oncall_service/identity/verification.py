"""Verifying a contact method that reaches a personal device (every Apprise method: push, SMS, chat apps).

A six-digit code is sent to the method (through the notification service); the user types it back. Only
a salted SHA-256 digest of the code is stored, a code holds VERIFICATION_CODE_SECONDS (600), and after
VERIFICATION_MAX_FAILURES (5) wrong codes a new one must be asked for. Paging skips unverified methods.
"""

import hashlib
import hmac
import secrets

from oncall_service.identity import notifications_client, people
from oncall_service.identity import verification_repository as repository
from oncall_service.identity.contact_rules import NEEDS_VERIFICATION
from servicekit.errors import ApiError, Conflict, Invalid


class Gone(ApiError):
    code = 410


def _digest(method_id, code):
    return hashlib.sha256(f"{method_id}:{code}".encode()).hexdigest()


def _email_of(cur, user_id):
    return people.get_user(cur, user_id)["email"]


def wrong_code():
    return Invalid("That is not the code that was sent.", errors={"json": {"code": ["Not the code that was sent."]}})


def send_code(cur, app, user_id, method_id):
    """Send a fresh code to the method; returns until when it holds."""
    method = people.get_contact_method(cur, user_id, method_id)
    if method["type"] not in NEEDS_VERIFICATION or method["verified_at"] is not None:
        raise Conflict(f"contact method {method_id} is verified already: nothing to verify")
    code = f"{secrets.randbelow(10**6):06d}"
    expires_at = repository.store_code(
        cur, user_id, method_id, _digest(method_id, code), app.config["VERIFICATION_CODE_SECONDS"]
    )
    minutes = app.config["VERIFICATION_CODE_SECONDS"] // 60
    text = f"Your incident platform verification code: {code}. It expires in {minutes} minutes."
    notification = notifications_client.send(
        app, "verification", method, _email_of(cur, user_id), "Verification code", text
    )
    return {"expires_at": expires_at, "notification_id": notification.get("id"), "delivery": notification.get("status")}


def confirm(cur, app, user_id, method_id, code):
    """Check a code typed back; the method is verified when it is the last one sent and still holds.

    Returns the method, or None for a wrong code (counted: the caller commits, then refuses).
    """
    people.get_contact_method(cur, user_id, method_id)
    state = repository.lock_verification(cur, user_id, method_id)
    if state["verified_at"] is not None:
        return people.get_contact_method(cur, user_id, method_id)
    if state["verification_digest"] is None:
        raise Conflict("no code was sent to this contact method: ask for one first")
    if state["expired"]:
        raise Gone("the code has expired: ask for a new one")
    if state["verification_failures"] >= app.config["VERIFICATION_MAX_FAILURES"]:
        raise Conflict("too many wrong codes: ask for a new one")
    if not hmac.compare_digest(state["verification_digest"], _digest(method_id, code)):
        repository.count_failure(cur, method_id)
        return None
    repository.mark_verified(cur, method_id)
    return people.get_contact_method(cur, user_id, method_id)


def test(cur, app, user_id, method_id):
    """Send the method a test message now (whether or not it is verified); the notification's status."""
    method = people.get_contact_method(cur, user_id, method_id)
    label = f" ({method['label']})" if method.get("label") else ""
    text = f"This is a test message from the incident platform to your {method['type']} contact method{label}."
    return notifications_client.send(app, "test", method, _email_of(cur, user_id), "Test message", text)
