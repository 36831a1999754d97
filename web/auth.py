"""Analyst login and logout, a per-session CSRF token checked on every POST, and `login_required`."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash

from web.errors import wants_json
from web.i18n import t

bp = Blueprint("auth", __name__)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


@bp.before_app_request
def check_csrf() -> None:
    """Refuse any POST whose form field or header does not carry the session's token."""
    if request.method != "POST":
        return
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = session.get(CSRF_FIELD)
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        abort(400, "CSRF token missing or wrong: reload the page and submit the form again.")


@bp.app_context_processor
def inject_auth() -> dict[str, Any]:
    """Templates see csrf_token() and whether an analyst is logged in."""
    return {"csrf_token": csrf_token, "is_analyst": bool(session.get("analyst"))}


def login_enabled() -> bool:
    """Login works only once a password (hash) is configured."""
    return bool(current_app.config.get("ANALYST_PASSWORD_HASH") or current_app.config.get("ANALYST_PASSWORD"))


def password_ok(password: str) -> bool:
    """Check against ANALYST_PASSWORD_HASH, or the plain ANALYST_PASSWORD when no hash is set."""
    hashed = current_app.config.get("ANALYST_PASSWORD_HASH")
    if hashed:
        return check_password_hash(str(hashed), password)
    plain = str(current_app.config.get("ANALYST_PASSWORD") or "")
    return bool(plain) and secrets.compare_digest(password.encode(), plain.encode())


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Analyst-only view: 401 JSON for the API, a redirect to the login page otherwise."""
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if session.get("analyst"):
            return view(*args, **kwargs)
        if wants_json():
            abort(401, "analyst login required: log in at /login first")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return wrapped


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so the login form cannot bounce someone to another host.
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("lists.index")


@bp.route("/login", methods=("GET", "POST"))
def login() -> Any:
    """Show the analyst login form, or check the password and start an analyst session."""
    if not login_enabled():
        return render_template("login.html", disabled=True), 403 if request.method == "POST" else 200
    error = None
    if request.method == "POST":
        if password_ok(request.form.get("password", "")):
            lang = session.get("lang")
            session.clear()  # a fresh session (and CSRF token) after login
            session.update({"analyst": True, **({"lang": lang} if lang else {})})
            flash(t("logged_in"))
            return redirect(_safe_next(request.args.get("next")))
        error = t("login_wrong")
    return render_template("login.html", disabled=False, error=error)


@bp.route("/logout", methods=("POST",))
def logout() -> Any:
    """End the analyst session (POST with the CSRF token, so no other site can log you out)."""
    session.pop("analyst", None)
    session.pop(CSRF_FIELD, None)
    flash(t("logged_out"))
    return redirect(url_for("lists.index"))
