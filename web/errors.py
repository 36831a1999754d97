"""Error responses: JSON under /api/, friendly pages elsewhere (404 and 400 have their own)."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import BadRequest, HTTPException


class BadParameter(BadRequest):
    """A query parameter that is wrong; the JSON error names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"parameter '{parameter}': {message}")
        self.parameter = parameter


def wants_json() -> bool:
    """API requests get JSON errors, pages get HTML."""
    return request.path.startswith("/api/")


def handle_http_error(exc: HTTPException) -> tuple[Response | str, int, list[tuple[str, str]]]:
    """Render an HTTP error as JSON for the API or as a page for people."""
    code = exc.code or 500
    # Keep headers such as Allow on a 405; the body's type is ours.
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    if wants_json():
        body = {"error": {"status": code, "message": exc.description}}
        if isinstance(exc, BadParameter):
            body["error"]["parameter"] = exc.parameter
        return jsonify(body), code, headers
    template = f"{code}.html" if code in (400, 404) else "error.html"
    return render_template(template, code=code, message=exc.description), code, headers


def init_app(app: Flask) -> None:
    """Register the handler for every HTTP error."""
    app.register_error_handler(HTTPException, handle_http_error)
