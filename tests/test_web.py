"""Fetching against a local server: outcomes, bounds, robots.txt, concurrency."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import serving

from sitrep.ingest.limits import Limits
from sitrep.ingest.web import WebSession, fetch_one, fetch_urls
from sitrep.model import HTML, TEXT, ItemError, RawItem

ARTICLE = (
    b"<!doctype html><html><head><title>Dam inspection</title></head><body><p>Engineers finished "
    b"inspecting the Kessel dam on Thursday and found no new cracks, the water board said.</p></body></html>"
)
PLAIN = b"Snow closed the mountain pass overnight; ploughs are expected by noon."
LONG_STORY = "The regional council approved the new cycle lanes after a long debate about parking. " * 12


def rss(base: str) -> bytes:
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Valley Herald</title>
<item><title>Cycle lanes approved</title><link>{base}/lanes</link>
<pubDate>Mon, 05 May 2025 08:00:00 +0000</pubDate><description>{LONG_STORY}</description></item>
<item><title>Dam passes inspection</title><link>{base}/article</link>
<pubDate>Tue, 06 May 2025 08:00:00 +0000</pubDate><description>No new cracks.</description></item>
</channel></rss>""".encode()


class Handler(BaseHTTPRequestHandler):
    server: "Server"

    def log_message(self, *args):  # keep test output clean
        pass

    def send(self, status=200, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        srv = self.server
        with srv.lock:
            srv.hits[self.path] += 1
            srv.agents.add(self.headers.get("User-Agent"))
        path = self.path
        if path == "/robots.txt" and srv.robots is not None:
            self.send(body=srv.robots.encode(), ctype="text/plain")
        elif path == "/article":
            self.send(body=ARTICLE)
        elif path == "/plain":
            self.send(body=PLAIN, ctype="text/plain; charset=utf-8")
        elif path == "/feed.xml":
            self.send(body=rss(srv.base), ctype="application/rss+xml")
        elif path == "/feed-as-xml":
            self.send(body=rss(srv.base), ctype="text/xml")
        elif path == "/image":
            self.send(body=b"\x89PNG\r\n", ctype="image/png")
        elif path == "/slow":
            self.trickle(head=False)
        elif path == "/slow-headers":
            self.trickle(head=True)
        elif path == "/huge":
            self.send(body=b"<html><body>" + b"x" * 200_000 + b"</body></html>")
        elif path == "/huge-unannounced":
            # No Content-Length: only counting the streamed bytes can stop this.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"y" * 10_000)
        elif path in ("/a", "/b"):
            self.send(302, headers=[("Location", "/b" if path == "/a" else "/a")])
        elif path.startswith("/hop/"):
            self.send(302, headers=[("Location", f"/hop/{int(path[5:]) + 1}")])
        elif path == "/moved":
            self.send(301, headers=[("Location", "/article")])
        elif path == "/to-ftp":
            self.send(302, headers=[("Location", "ftp://files.example/x")])
        elif path == "/broken":
            self.send(500, body=b"oops")
        elif path.startswith("/busy/"):
            with srv.lock:
                srv.in_flight += 1
                srv.peak = max(srv.peak, srv.in_flight)
            time.sleep(0.25)
            with srv.lock:
                srv.in_flight -= 1
            self.send(body=b"<html><body><p>page " + path.encode() + b"</p></body></html>")
        else:
            self.send(404, body=b"not found")

    def trickle(self, head: bool):
        try:
            if head:
                for byte in b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nX-Padding: aaaaaaaaaaaaaaaaaaaa\r\n":
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.5)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(40):
                    self.wfile.write(b"z")
                    self.wfile.flush()
                    time.sleep(0.5)
        except OSError:
            pass  # the client gave up, as it should


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, robots: str | None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.robots = robots
        self.lock = threading.Lock()
        self.hits: Counter = Counter()
        self.agents: set = set()
        self.in_flight = 0
        self.peak = 0
        self.base = f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address):
        pass  # clients hanging up on the huge and slow pages is the point


@pytest.fixture
def server():
    with serving(Server(robots="User-agent: *\nDisallow: /private\n")) as srv:
        yield srv


@pytest.fixture
def bare_server():
    """A host without robots.txt (404)."""
    with serving(Server(robots=None)) as srv:
        yield srv


def local(**kw) -> Limits:
    """Limits for the test servers, which listen on 127.0.0.1: private addresses allowed."""
    return Limits(allow_private_addresses=True, **kw)


LIMITS = local(timeout_s=3, max_item_bytes=100_000, max_redirects=4)


def one(url, limits=LIMITS):
    return fetch_one(url, limits)


def test_article_page(server):
    item = one(server.base + "/article")
    assert isinstance(item, RawItem) and item.kind == HTML and item.data == ARTICLE
    assert item.locator == server.base + "/article" and item.container is None
    assert item.hints["url"] == server.base + "/article" and item.hints["http_status"] == 200
    assert item.hints["fetched"].endswith("+00:00")
    assert server.agents == {LIMITS.user_agent}


def test_text_plain_and_unsupported(server):
    item = one(server.base + "/plain")
    assert isinstance(item, RawItem) and item.kind == TEXT and item.data == PLAIN
    assert one(server.base + "/image").reason == "unsupported_type"


def test_redirect_is_followed_and_final_url_kept(server):
    item = one(server.base + "/moved")
    assert isinstance(item, RawItem) and item.data == ARTICLE
    assert item.locator == server.base + "/moved" and item.hints["url"] == server.base + "/article"


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/a", "redirect_loop"),
        ("/hop/1", "too_many_redirects"),
        ("/to-ftp", "bad_url"),
        ("/broken", "http_error"),
        ("/missing", "http_error"),
        ("/private/report", "robots_disallowed"),
        ("/huge", "too_large"),
        ("/huge-unannounced", "too_large"),
    ],
)
def test_failures(server, path, reason):
    err = one(server.base + path)
    assert isinstance(err, ItemError) and err.reason == reason, err
    assert err.locator == server.base + path


def test_http_error_names_status(server):
    assert "500" in one(server.base + "/broken").detail
    assert "404" in one(server.base + "/missing").detail


def test_robots_disallowed_page_is_never_requested(server):
    one(server.base + "/private/report")
    assert server.hits["/private/report"] == 0 and server.hits["/robots.txt"] == 1


def test_robots_can_be_ignored(server):
    assert one(server.base + "/private/report", local(obey_robots=False)).reason == "http_error"  # 404, but asked
    assert server.hits["/robots.txt"] == 0


def test_missing_robots_means_allowed(bare_server):
    assert isinstance(one(bare_server.base + "/article"), RawItem)
    assert bare_server.hits["/robots.txt"] == 1


@pytest.mark.parametrize("path", ["/slow", "/slow-headers"])
def test_trickling_server_hits_the_deadline(server, path):
    started = time.monotonic()
    err = one(server.base + path, local(timeout_s=1))
    took = time.monotonic() - started
    assert isinstance(err, ItemError) and err.reason == "timeout", err
    assert took < 2.5, took


@pytest.mark.parametrize("url", ["ftp://files.example/report.txt", "file:///etc/passwd", "not a url", "http://"])
def test_bad_urls(url):
    err = fetch_one(url, LIMITS)
    assert isinstance(err, ItemError) and err.reason == "bad_url"


def test_connect_error():
    # Bind then close a port so nothing listens on it.
    probe = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = probe.server_address[1]
    probe.server_close()
    assert fetch_one(f"http://127.0.0.1:{port}/x", LIMITS).reason == "connect_error"


def test_fetch_urls_in_order_with_bounded_concurrency(server):
    urls = [f"{server.base}/busy/{i}" for i in range(8)]
    urls.insert(3, "ftp://files.example/x")
    limits = local(timeout_s=5, max_concurrency=3)
    started = time.monotonic()
    out = list(fetch_urls(urls, limits))
    took = time.monotonic() - started
    assert [x.locator for x in out] == urls
    assert out[3].reason == "bad_url"
    assert all(isinstance(x, RawItem) for i, x in enumerate(out) if i != 3)
    assert 2 <= server.peak <= 3, server.peak  # parallel, but never more than allowed
    assert took < 8 * 0.25, took
    assert server.hits["/robots.txt"] == 1  # cached per run


def test_fetch_urls_expands_feeds(server):
    out = list(fetch_urls([server.base + "/feed.xml", server.base + "/plain"], LIMITS))
    assert [type(x).__name__ for x in out] == ["RawItem", "ItemError", "RawItem"]
    entry, teaser, plain = out
    assert entry.locator == server.base + "/feed.xml#entry=1" and entry.hints["source"] == "Valley Herald"
    assert entry.container == rss(server.base)  # no file holds a fetched feed's bytes
    assert teaser.reason == "no_content" and server.hits["/article"] == 0
    assert plain.kind == TEXT


def test_feed_links_fetched_one_level_when_allowed(server):
    out = list(fetch_urls([server.base + "/feed-as-xml"], local(timeout_s=3, fetch=True)))
    assert len(out) == 2 and all(isinstance(x, RawItem) for x in out)
    page = out[1]
    assert page.data == ARTICLE and page.hints["title"] == "Dam passes inspection"
    assert page.hints["published"] == "2025-05-06T08:00:00Z"
    assert server.hits["/article"] == 1 and server.hits["/lanes"] == 0


def test_fetch_one_refuses_a_feed(server):
    # As a feed's fetcher, fetch_one must not open a second level of feeds.
    with WebSession(LIMITS) as session:
        assert fetch_one(server.base + "/feed.xml", LIMITS, session).reason == "unsupported_type"
        assert isinstance(fetch_one(server.base + "/article", LIMITS, session), RawItem)
    assert server.hits["/robots.txt"] == 1
