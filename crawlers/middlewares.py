"""Downloader middleware for JSON APIs that answer errors as HTTP 200 with a non-zero code.

Callbacks then only ever see well-formed, successful answers. Every refused response is counted in
the stats (`oppradar/api_errors/<code>`) and logged; rate-limit codes are retried like HTTP 429.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

log = logging.getLogger(__name__)

# B站 -412 (request blocked), xhs 300013 (too frequent), 461 (captcha): retry later
RETRY_CODES = {"-412", "300013", "461"}
OK_CODES = {"0", "200"}


def api_error(data: Any) -> str | None:
    """The error code of a JSON API answer, or None when it succeeded (xhs, B站 and 1688 shapes)."""
    if not isinstance(data, dict):
        return "not_an_object"
    if "code" in data and str(data["code"]) not in OK_CODES:
        return str(data["code"])
    if data.get("success") is False:
        return str(data.get("code", "failed"))
    inner = data.get("result")
    if isinstance(inner, dict) and inner.get("success") is False:
        return str(inner.get("code") or "failed")
    return None


class ApiErrorMiddleware:
    """Refuses truncated JSON and API error answers before they reach a callback; counts each."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ApiErrorMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if response.status != 200 or "json" not in ctype or not isinstance(response, TextResponse):
            return response
        stats = self.crawler.stats
        try:
            data = response.json()
        except ValueError as exc:
            stats.inc_value("oppradar/api_errors/bad_json")
            log.warning("bad JSON from %s: %s", response.url, exc)
            raise IgnoreRequest(f"bad JSON from {response.url}") from exc
        code = api_error(data)
        if code is None:
            return response
        stats.inc_value(f"oppradar/api_errors/{code}")
        message = data.get("msg") or data.get("message") if isinstance(data, dict) else ""
        if code in RETRY_CODES:
            retry = get_retry_request(request, spider=self.crawler.spider, reason=f"api_code_{code}")
            if retry is not None:
                return retry
        log.warning("API error %s (%s) from %s", code, message, response.url)
        raise IgnoreRequest(f"API error {code} from {response.url}")
