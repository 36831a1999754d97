"""Downloader middleware for JSON APIs that answer errors as HTTP 200, a request fingerprinter, and
the offline replay add-on.

ApiErrorMiddleware: callbacks only ever see well-formed, successful JSON answers. Every refused response
is counted in the stats (`oppradar/api_errors/<code>`) and logged; rate-limit codes are retried like
HTTP 429, a bounded number of times (RETRY_TIMES). A request with `meta["oppradar_raw_json"]` is let
through as it is (B站 nav answers -101 "not logged in" and still carries the WBI keys). A JSON body in
another charset than UTF-8 (`charset=gbk`) is first re-encoded as UTF-8: `TextResponse.json()` reads
the bytes as UTF-8 and only falls back to the declared charset when they are not valid UTF-8, and some
GBK text is (漏水 is C2 A9 CB AE, "©ˮ" in UTF-8), so it would be misread without an error.

SignedRequestFingerprinter: B站's `wts`/`w_rid` change every second; they are left out of the
fingerprint, so the HTTP cache replays a signed request and JOBDIR's seen-set knows it again.

RobotsTxtMiddleware: Scrapy's, fixed so that every request waiting for a host's robots.txt is checked
against it. Scrapy 2.13+ awaits the one pending Deferred from each waiting request; converting a Deferred
to a Future consumes its result, so only the first waiter got the parser and the others None, "no
robots.txt", and were let through (a spider yielding several start requests to one host crawled disallowed
pages). Each waiter now gets its own Deferred, fed from the shared one.

OfflineAddon: `-s OPPRADAR_OFFLINE=1` (or the env OPPRADAR_OFFLINE=1) replays the HTTP cache and
never touches the network: a request missing from the cache is ignored and counted. Being the project's
add-on (settings.ADDONS), it also puts RobotsTxtMiddleware in place of Scrapy's, in every run.
"""

from __future__ import annotations

import logging
import os
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.robotstxt import RobotParser
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.request import RequestFingerprinter
from twisted.internet.defer import Deferred
from w3lib.encoding import http_content_type_encoding

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
    if "ok" in data and "code" not in data and str(data["ok"]) not in ("1", "0"):
        return f"ok_{data['ok']}"  # 微博: ok -100 asks for a login; ok 0 is "no more results", not an error
    inner = data.get("result")
    if isinstance(inner, dict) and inner.get("success") is False:
        return str(inner.get("code") or "failed")
    return None


def as_utf8(response: TextResponse, ctype: str) -> TextResponse:
    """The response with its body and Content-Type in UTF-8 when its header declares another charset."""
    declared = http_content_type_encoding(ctype)
    if declared in (None, "utf-8"):
        return response
    headers = response.headers.copy()
    headers[b"Content-Type"] = f"{ctype.split(';', 1)[0].strip()}; charset=utf-8"
    return response.replace(body=response.text.encode("utf-8"), headers=headers, encoding="utf-8")


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
        response = as_utf8(response, ctype)
        if request.meta.get("oppradar_raw_json"):
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
        inner = data.get("result") if isinstance(data.get("result"), dict) else {}
        message = data.get("msg") or data.get("message") or inner.get("message") or ""
        if code in RETRY_CODES:
            retry = get_retry_request(request, spider=self.crawler.spider, reason=f"api_code_{code}")
            if retry is not None:
                return retry
        log.warning("API error %s (%s) from %s", code, message, response.url)
        raise IgnoreRequest(f"API error {code} from {response.url}")


SIGNATURE_PARAMS = ("wts", "w_rid")


def unsigned_url(url: str) -> str:
    """The URL without B站's per-second WBI signature parameters."""
    parts = urlsplit(url)
    if "w_rid=" not in parts.query:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in SIGNATURE_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


class SignedRequestFingerprinter(RequestFingerprinter):
    """Scrapy's fingerprint of the request with its WBI signature left out."""

    def fingerprint(self, request: Request) -> bytes:
        url = unsigned_url(request.url)
        return super().fingerprint(request if url == request.url else request.replace(url=url))


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with every request that waits for robots.txt checked against it."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        mine: Deferred[RobotParser | None] = Deferred()

        def relay(parser: RobotParser | None) -> RobotParser | None:
            mine.callback(parser)
            return parser  # passed on to the next waiter's relay

        pending.addCallback(relay)
        return await maybe_deferred_to_future(mine)


ROBOTS_MIDDLEWARE = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class OfflineAddon:
    """Puts RobotsTxtMiddleware in; turns on cache replay with no network when OPPRADAR_OFFLINE is set."""

    def update_settings(self, settings: BaseSettings) -> None:
        middlewares = settings["DOWNLOADER_MIDDLEWARES"]
        if ROBOTS_MIDDLEWARE not in middlewares:  # unless a run set it (None turns robots.txt checks off)
            order = settings["DOWNLOADER_MIDDLEWARES_BASE"][ROBOTS_MIDDLEWARE]
            middlewares.set(ROBOTS_MIDDLEWARE, None, priority="addon")
            middlewares.set(f"{__name__}.RobotsTxtMiddleware", order, priority="addon")
        wanted = settings.get("OPPRADAR_OFFLINE", "") or os.environ.get("OPPRADAR_OFFLINE", "")
        if not _truthy(wanted):
            return
        settings.set("HTTPCACHE_ENABLED", True, priority="cmdline")
        settings.set("HTTPCACHE_IGNORE_MISSING", True, priority="cmdline")
        settings.set("HTTPCACHE_EXPIRATION_SECS", 0, priority="cmdline")  # never stale: replay what is there
        # Politeness is for servers; the cache is local disk.
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
