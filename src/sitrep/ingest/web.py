"""Fetch articles over HTTP(S), politely and within bounds.

``fetch_urls(urls, limits)`` yields, in input order, one outcome per URL (or
one per entry when the URL is a feed).  ``fetch_one(url, limits, client=None)``
fetches one page and fits ``read_feed``'s ``fetcher``; pass a
:class:`WebSession` as ``client`` to share its connections and robots cache.

A response becomes ``RawItem(kind=HTML)`` for HTML, ``kind=TEXT`` for
text/plain; a feed (by content type, or a body whose root is rss/feed/rdf)
is read with ``read_feed`` by ``fetch_urls``, whose entry links are fetched
only if ``limits.fetch``, and never expanded further: ``fetch_one`` refuses
a feed.  Entries of a fetched feed carry the feed's bytes as ``container``,
since no file holds them; page items have ``container=None``.
Hints: ``url`` (final, after redirects), ``fetched`` (UTC ISO),
``http_status``, ``content_type``.

Error reasons: ``bad_url`` (not http/https, or a redirect to such a URL),
``private_address`` (see below), ``robots_disallowed``, ``http_error`` (status >= 400, or 3xx without a
Location), ``redirect_loop``, ``too_many_redirects``, ``timeout``,
``connect_error``, ``network_error`` (connection dropped, bad HTTP),
``too_large``, ``unsupported_type`` (not HTML, text or a feed).

Bounds: each socket operation's timeout is capped by one wall-clock deadline
of ``limits.timeout_s`` for the whole redirect chain, so a server trickling
bytes (even headers) cannot hold a worker longer; a robots.txt fetch has its
own such deadline, once per host per session.  Bodies are streamed and cut
past ``limits.max_item_bytes``; we ask for identity encoding so the cap is on
bytes as sent.  At most ``limits.max_concurrency`` requests are in flight per
session.  Env proxies are ignored.  DNS lookups are not under the deadline.

Private addresses: a page or feed can point anywhere, so a fetch must not
become a way to reach the machine's own services or its network (server-side
request forgery, OWASP; the cloud metadata service at 169.254.169.254 is the
classic target).  Every new connection, hence every redirect hop and every
robots.txt, resolves its host once, refuses it if *any* resolved address is
not a public unicast one (:func:`address_problem`, on Python's ``ipaddress``
properties, with IPv4 embedded in IPv6 judged as IPv4), and then connects to
the checked address itself, so a second DNS answer cannot swap in another
(DNS rebinding).  TLS still verifies the certificate against the host name.
``Limits(allow_private_addresses=True)`` (CLI ``--allow-private-addresses``)
turns the check off, for an intranet archive or a test server.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import ipaddress
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import httpcore
import httpx

from sitrep.ingest.feed import looks_like_feed, read_feed
from sitrep.ingest.limits import Limits
from sitrep.ingest.warc import HTML_TYPES, SNIFF_TYPES, looks_like_html
from sitrep.model import HTML, TEXT, ItemError, RawItem

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB, ignore the rest
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/plain;q=0.9,*/*;q=0.5"


def fetch_one(url: str, limits: Limits, client: WebSession | None = None) -> RawItem | ItemError:
    url = _clean(url)
    if client is not None:
        return client.fetch(url)
    with WebSession(limits) as session:
        return session.fetch(url)


def fetch_urls(urls: Iterable[str], limits: Limits, *, host_delay_s: float = 0.0) -> Iterator[RawItem | ItemError]:
    workers = max(1, limits.max_concurrency)
    with WebSession(limits, host_delay_s=host_delay_s) as session:
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sitrep-fetch")
        try:
            # A sliding window keeps input order without holding every result.
            pending: deque = deque()
            todo = iter(urls)

            def submit() -> None:
                for url in todo:
                    url = _clean(url)
                    pending.append((url, pool.submit(session.get, url)))
                    return

            for _ in range(2 * workers):
                submit()
            while pending:
                url, future = pending.popleft()
                submit()
                yield from session.expand(url, future.result())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


@dataclasses.dataclass(frozen=True)
class Page:
    url: str  # as asked
    final_url: str
    status: int
    content_type: str  # the header as sent
    body: bytes
    fetched: str

    @property
    def mime(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


class WebSession:
    """Connections, robots.txt cache and per-host pacing shared by one run."""

    def __init__(self, limits: Limits, host_delay_s: float = 0.0):
        self.limits = limits
        self.host_delay_s = host_delay_s
        transport = httpx.HTTPTransport(
            verify=_ssl_context(), limits=httpx.Limits(max_connections=max(1, limits.max_concurrency)), trust_env=False
        )
        # httpx has no public hook for the network backend; both are pinned exactly.
        transport._pool._network_backend = _DeadlineBackend(limits.allow_private_addresses)
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(limits.timeout_s),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": limits.user_agent, "Accept": ACCEPT, "Accept-Encoding": "identity"},
        )
        self._in_flight = threading.BoundedSemaphore(max(1, limits.max_concurrency))
        self._lock = threading.Lock()
        self._robots: dict[tuple, urllib.robotparser.RobotFileParser | ItemError | None] = {}
        self._robots_locks: dict[tuple, threading.Lock] = {}
        self._next_slot: dict[str, float] = {}

    def __enter__(self) -> WebSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, limits: Limits | None = None) -> RawItem | ItemError:
        """One article page; ``limits`` is accepted for the fetcher signature, the session's apply."""
        outcome = self.get(url)
        if isinstance(outcome, ItemError):
            return outcome
        if _is_feed(outcome):
            return ItemError(url, "unsupported_type", "a feed, not an article page (feeds are expanded one level only)")
        return _page_item(outcome)

    def expand(self, url: str, outcome: Page | ItemError) -> Iterator[RawItem | ItemError]:
        """Outcomes of one fetched URL: its page, or each entry of its feed."""
        if isinstance(outcome, ItemError):
            yield outcome
        elif _is_feed(outcome):
            fetcher = self.fetch if self.limits.fetch else None
            for item in read_feed(url, outcome.body, self.limits, fetcher=fetcher):
                if isinstance(item, RawItem) and item.container_locator == url:
                    item = dataclasses.replace(item, container=outcome.body)
                yield item
        else:
            yield _page_item(outcome)

    def get(self, url: str) -> Page | ItemError:
        """GET following redirects; a Page with status < 300, or an ItemError."""
        try:
            return self._get_checked(url)
        except Exception as exc:
            # Readers never raise on bad input: an odd URL or response must not end the run.
            return ItemError(str(url), "network_error", f"unexpected {type(exc).__name__}: {exc}"[:300])

    def _get_checked(self, url: str) -> Page | ItemError:
        if problem := _url_problem(url):
            return ItemError(url, "bad_url", problem)
        if self.limits.obey_robots and (blocked := self._robots_check(url, url)):
            return blocked
        page = self._get(url, robots=self.limits.obey_robots)
        if isinstance(page, Page) and page.status >= 300:
            return ItemError(url, "http_error", f"HTTP {page.status} from {page.final_url}")
        return page

    def _get(self, url: str, robots: bool, max_bytes: int | None = None, truncate: bool = False) -> Page | ItemError:
        """GET following redirects, any final status; one deadline for the chain."""
        if problem := _url_problem(url):
            return ItemError(url, "bad_url", problem)
        max_bytes = self.limits.max_item_bytes if max_bytes is None else max_bytes
        seen = {str(httpx.URL(url))}
        current = url
        with _deadline(self.limits.timeout_s) as deadline:
            try:
                for _ in range(self.limits.max_redirects + 1):
                    if robots and current != url and (blocked := self._robots_check(url, current)):
                        return blocked
                    self._wait_turn(current)
                    with self._in_flight, self._client.stream("GET", current) as resp:
                        location = resp.headers.get("location")
                        if resp.status_code in REDIRECTS and location:
                            target = str(resp.url.join(location))
                            if problem := _url_problem(target):
                                return ItemError(url, "bad_url", f"redirect from {current} to {target} refused: {problem}")
                            if target in seen:
                                return ItemError(url, "redirect_loop", f"{current} redirects back to {target}")
                            seen.add(target)
                            current = target
                            continue
                        # An error page's body is of no use and may be slow to come.
                        body = b"" if resp.status_code >= 400 else _read_body(resp, max_bytes, truncate, deadline)
                        if body is None:
                            return ItemError(url, "too_large", f"body of {current} exceeds {max_bytes} bytes")
                        return Page(
                            url=url,
                            final_url=str(resp.url),
                            status=resp.status_code,
                            content_type=resp.headers.get("content-type", ""),
                            body=body,
                            fetched=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        )
                return ItemError(url, "too_many_redirects", f"more than {self.limits.max_redirects} redirects")
            except PrivateAddressError as exc:
                return ItemError(url, "private_address", f"{current}: {exc}")
            except httpx.TimeoutException as exc:
                return ItemError(url, "timeout", f"no complete answer from {current} within {self.limits.timeout_s} s ({exc})")
            except httpx.ConnectError as exc:
                return ItemError(url, "connect_error", f"cannot connect to {current}: {exc}")
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                return ItemError(url, "bad_url", f"{current}: {exc}")
            except httpx.HTTPError as exc:
                return ItemError(url, "network_error", f"{current}: {type(exc).__name__}: {exc}")

    def _robots_check(self, url: str, target: str) -> ItemError | None:
        """None if robots.txt lets us fetch ``target`` (a hop of ``url``)."""
        u = httpx.URL(target)
        key = (u.scheme, u.host, u.port)
        with self._lock:
            host_lock = self._robots_locks.setdefault(key, threading.Lock())
        with host_lock:  # one robots.txt fetch per host even when workers race
            if key not in self._robots:
                self._robots[key] = self._load_robots(u)
        rules = self._robots[key]
        if rules is None:
            return None
        if isinstance(rules, ItemError):
            return ItemError(url, rules.reason, rules.detail)
        if rules.can_fetch(self.limits.user_agent, target):
            return None
        return ItemError(url, "robots_disallowed", f"robots.txt of {u.host} disallows {u.raw_path.decode()}")

    def _load_robots(self, u: httpx.URL) -> urllib.robotparser.RobotFileParser | ItemError | None:
        robots_url = str(u.copy_with(path="/robots.txt", query=None, fragment=None))
        page = self._get(robots_url, robots=False, max_bytes=ROBOTS_MAX_BYTES, truncate=True)
        if isinstance(page, ItemError):
            if page.reason in ("timeout", "connect_error", "network_error"):
                return ItemError(robots_url, page.reason, f"fetching robots.txt: {page.detail}")
            # RFC 9309: redirect trouble counts as unavailable, i.e. 4xx.  A private address too:
            # the page's own connection is checked, and refused with its own URL if private.
            return None
        if 400 <= page.status < 500:
            return None  # RFC 9309: no robots.txt, no restrictions
        if page.status >= 300:
            # RFC 9309: an unreachable robots.txt means assume complete disallow.
            return ItemError(robots_url, "robots_disallowed", f"robots.txt answered HTTP {page.status}")
        rules = urllib.robotparser.RobotFileParser(robots_url)
        rules.parse(page.body.decode("utf-8", "replace").splitlines())
        return rules

    def _wait_turn(self, url: str) -> None:
        if self.host_delay_s <= 0:
            return
        host = httpx.URL(url).host
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_slot.get(host, 0.0))
            self._next_slot[host] = start + self.host_delay_s
        time.sleep(start - now)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~0.1 s; fetch_one without a session would pay it per call.
    return httpx.create_ssl_context(trust_env=False)


def _page_item(page: Page) -> RawItem | ItemError:
    mime = page.mime
    if mime in HTML_TYPES or (mime in SNIFF_TYPES and looks_like_html(page.body)):
        kind = HTML
    elif mime == "text/plain":
        kind = TEXT
    else:
        return ItemError(page.url, "unsupported_type", f"content type {page.content_type or 'missing'!r}")
    hints = {"url": page.final_url, "fetched": page.fetched, "http_status": page.status}
    if page.content_type:
        hints["content_type"] = page.content_type
    return RawItem(locator=page.url, kind=kind, data=page.body, hints=hints, container=None)


def _is_feed(page: Page) -> bool:
    return page.mime in FEED_TYPES or looks_like_feed(page.body)


def _clean(url):
    # URL lists and feeds often carry stray whitespace or a CR.
    return url.strip() if isinstance(url, str) else url


def _url_problem(url: str) -> str | None:
    try:
        u = httpx.URL(url)
    except Exception as exc:  # httpx.InvalidURL, or TypeError for non-strings
        return f"unparseable URL: {exc}"
    if u.scheme not in ("http", "https"):
        return f"scheme {u.scheme!r} is not http or https"
    if not u.host:
        return "no host"
    return None


def _read_body(resp: httpx.Response, max_bytes: int, truncate: bool, deadline: float) -> bytes | None:
    """The body, or None past max_bytes (cut to max_bytes instead if truncate)."""
    declared = resp.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        return None
    body = bytearray()
    for chunk in resp.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            if truncate:
                return bytes(body[:max_bytes])
            return None
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("wall-clock deadline passed while reading the body")
    return bytes(body)


# --- a wall-clock deadline under every socket operation ----------------------

_local = threading.local()


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[float]:
    """Cap socket timeouts in this thread until ``seconds`` from now (nests)."""
    outer = getattr(_local, "deadline", None)
    _local.deadline = time.monotonic() + seconds
    try:
        yield _local.deadline
    finally:
        _local.deadline = outer


def _cap(timeout: float | None, exc: type[Exception]) -> float | None:
    deadline = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise exc("wall-clock deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _cap(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _cap(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _cap(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """Connections under the thread's deadline, to checked addresses only."""

    def __init__(self, allow_private: bool = False):
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve(host, port)
        if not self._allow_private:
            _refuse_private(host, addresses)
        last: Exception | None = None
        for address in addresses:  # in resolver order, as socket.create_connection tries them
            try:
                # An IP literal: the inner backend connects without a second lookup.
                stream = self._inner.connect_tcp(
                    address, port, _cap(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
                return _DeadlineStream(stream)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# --- private addresses ---------------------------------------------------------


class PrivateAddressError(Exception):
    """A host resolves to an address sitrep does not fetch unless allowed."""


def resolve(host: str, port: int) -> list[str]:
    """The host's TCP addresses, deduplicated, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    # The scope of a link-local IPv6 address is dropped: such an address is refused anyway.
    return list(dict.fromkeys(info[4][0].split("%")[0] for info in infos))


def address_problem(address: str) -> str | None:
    """Why sitrep would not fetch from ``address`` by default, or None if it is public."""
    ip = _embedded_ipv4(ipaddress.ip_address(address))
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:
        return "non-global"  # e.g. 100.64.0.0/10, where some clouds keep their metadata service
    return None


def _embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address):
    # An IPv4 address carried inside IPv6 reaches the IPv4 host: judge that host.
    if ip.version == 4:
        return ip
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour:
        return ip.sixtofour
    return ip  # Teredo (2001::/32) needs no unwrapping: ipaddress counts it private


_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix


def _refuse_private(host: str, addresses: list[str]) -> None:
    for address in addresses:
        if kind := address_problem(address):
            named = f"address {address}" if address == host else f"host {host} resolves to {address}"
            raise PrivateAddressError(
                f"refused: {named}, a {kind} address (allow with --allow-private-addresses "
                "or Limits(allow_private_addresses=True))"
            )
