"""Scrapy settings of the oppradar project: polite defaults, one flat module of constants.

Docs: https://docs.scrapy.org/en/latest/topics/settings.html. Override one per run with
`oppradar crawl SPIDER -s NAME=VALUE` (or `scrapy crawl ... -s NAME=VALUE`). Paths come from
store.settings (OPPRADAR_HOME), the only home of paths.
"""

from store.settings import get_settings

_store = get_settings()

BOT_NAME = "oppradar"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# Say who we are; sites can then contact or block us instead of guessing.
USER_AGENT = "oppradar/0.1 (+https://github.com/oppradar/oppradar; research crawler, obeys robots.txt)"

# https://docs.scrapy.org/en/latest/topics/downloader-middleware.html#robotstxtmiddleware
ROBOTSTXT_OBEY = True

# Politeness: few parallel requests per site, a delay between them, and AutoThrottle adapting the
# delay to the server's latency. https://docs.scrapy.org/en/latest/topics/autothrottle.html
CONCURRENT_REQUESTS = 8
# Items of one response processed in parallel. Our pipelines are synchronous, so parallelism buys nothing,
# and Scrapy (2.13+) starts one asyncio task per slot for every response: 100 (the default) tasks a
# page cost a third of the CPU of a fast crawl (benchmarks/bench_crawl.py).
CONCURRENT_ITEMS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Retries for transient failures (429 included: too many requests, slow down and try again).
# https://docs.scrapy.org/en/latest/topics/downloader-middleware.html#retrymiddleware-settings
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 20  # seconds; a stuck page is retried rather than waited on

# No telnet console: nothing should listen on a port we did not ask for.
TELNETCONSOLE_ENABLED = False

# HTTP cache, off by default. Record with -s HTTPCACHE_ENABLED=True; replay with -s OPPRADAR_OFFLINE=1
# (or the env OPPRADAR_OFFLINE=1): the cache only, never the network, a request not in it is ignored
# and counted (httpcache/ignore). See crawlers.middlewares.OfflineAddon.
# https://docs.scrapy.org/en/latest/topics/downloader-middleware.html#httpcache-middleware-settings
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = str(_store.http_cache_dir)
HTTPCACHE_EXPIRATION_SECS = 24 * 3600
HTTPCACHE_IGNORE_HTTP_CODES = [403, 404, 408, 412, 429, 500, 502, 503, 504, 522, 524]
HTTPCACHE_IGNORE_MISSING = False
OPPRADAR_OFFLINE = False
ADDONS = {"crawlers.middlewares.OfflineAddon": 0}

# B站's WBI signature (wts, w_rid) changes each second: fingerprints leave it out, so the cache replays
# a signed request and JOBDIR's seen-set recognises it.
REQUEST_FINGERPRINTER_CLASS = "crawlers.middlewares.SignedRequestFingerprinter"

# API answers that are errors in an HTTP 200 (B站 code -412, 微博 ok -100, 1688 success:false) never
# reach a callback; they are counted and logged. See crawlers/middlewares.py. The cache sits below
# decompression (590) and the API check (585), so it stores decoded bodies and never an API error.
DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.ApiErrorMiddleware": 585,
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": 580,
}

ITEM_PIPELINES = {
    "crawlers.pipelines.ValidatePipeline": 100,
    "crawlers.pipelines.DedupePipeline": 200,
    "crawlers.pipelines.StorePipeline": 800,
}
OPPRADAR_STORE_BATCH = 200  # records per database transaction

FEED_EXPORT_ENCODING = "utf-8"
# The default since Scrapy 2.13, stated so a different global default cannot change it under us.
# (REQUEST_FINGERPRINTER_IMPLEMENTATION is gone since 2.12: the current fingerprinter is the only one.)
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
# Pause and resume a long crawl: run with -s JOBDIR=$OPPRADAR_HOME/jobs/<spider>-<name>, stop it with
# one Ctrl-C or SIGTERM (a second one kills it without saving), run the same command again. The queue
# and seen-set live in JOBDIR; StorePipeline also notes stored items there so none is stored twice.
# https://docs.scrapy.org/en/latest/topics/jobs.html
JOBDIR = None
