"""Sessions and CSRF for the pages.

The session is a signed cookie (HttpOnly, SameSite=Lax, Secure when ``settings.secure_cookies``)
holding the user id, the time of the last request (for the idle timeout) and the CSRF token.  Every
POST from a form must carry that token (synchroniser-token pattern); API calls signed in with a
session cookie send it in the ``X-CSRF-Token`` header instead.
"""

from __future__ import annotations

import hmac
import secrets
import time

from starlette.requests import Request

from kinsight.errors import PermissionDeniedError

SESSION_COOKIE = "kinsight_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    session = request.scope.get("session")
    if session is None:
        return ""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, presented: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not presented or not hmac.compare_digest(str(expected), str(presented)):
        raise PermissionDeniedError(
            "This form has expired or did not come from Kinsight.",
            hint="Go back, reload the page and send the form again.",
        )


def start_session(request: Request, user_id: int) -> None:
    """A fresh session on sign-in: new CSRF token, so nothing from before sign-in carries over."""
    request.session.clear()
    request.session["uid"] = user_id
    request.session["seen"] = int(time.time())
    request.session["csrf"] = secrets.token_urlsafe(32)


def end_session(request: Request) -> None:
    request.session.clear()


def session_user(request: Request, timeout_minutes: int) -> tuple[int | None, bool]:
    """The signed-in user id, and whether a session just timed out (so the page can say so)."""
    session = request.scope.get("session")
    if not session or "uid" not in session:
        return None, False
    now = int(time.time())
    if now - int(session.get("seen", 0)) > timeout_minutes * 60:
        session.clear()
        return None, True
    if now - int(session.get("seen", 0)) >= 15:
        session["seen"] = now
    return int(session["uid"]), False
