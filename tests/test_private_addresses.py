"""Fetching refuses loopback, private, link-local... addresses unless asked.

Tests may only talk to 127.0.0.1, so "a public server" is simulated by
patching the policy (``web.address_problem``) to let 127.0.0.1 through, and
"a host name" by patching ``socket.getaddrinfo``; nothing leaves the machine.
"""

from __future__ import annotations

import socket
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from conftest import serving

from sitrep.cli import main
from sitrep.ingest import web
from sitrep.ingest.files import read_file, read_inputs
from sitrep.ingest.limits import Limits
from sitrep.ingest.web import address_problem, fetch_one, fetch_urls
from sitrep.model import ItemError, RawItem
from sitrep.store.db import Store

PAGE = (
    b"<html><head><title>Ferry timetable</title></head><body><article><h1>Winter ferry timetable</h1>"
    + b"<p>The winter ferry timetable starts on Monday, with two crossings a day instead of five, "
    b"the harbour office said. Night sailings stop until March.</p>" * 4
    + b"</article></body></html>"
)
STRICT = Limits(timeout_s=3, obey_robots=False)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.hits[self.path] += 1
        if self.path.startswith("/go?"):
            self.send_response(302)
            self.send_header("Location", self.path[4:])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body, status = (PAGE, 200) if self.path in ("/page", "/robots.txt") else (b"", 404)
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.hits = Counter()
    srv.port = srv.server_address[1]
    srv.base = f"http://127.0.0.1:{srv.port}"
    with serving(srv):
        yield srv


@pytest.fixture
def loopback_is_public(monkeypatch):
    """Pretend 127.0.0.1 is a public address; every other address keeps the real policy."""
    real = web.address_problem
    monkeypatch.setattr(web, "address_problem", lambda a: None if a == "127.0.0.1" else real(a))


@pytest.fixture
def dns(monkeypatch):
    """A fake resolver ``(table, asked)``: a name in ``table`` resolves to its addresses, or, given a
    list of lists, to the next list on each lookup; ``asked`` counts lookups per name."""
    table: dict[str, list[str]] = {}
    asked: Counter = Counter()
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in table:
            asked[host] += 1
            answer = table[host]
            addresses = answer.pop(0) if answer and isinstance(answer[0], list) else answer
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                    for a in addresses]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return table, asked


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"), ("::1", "loopback"), ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"), ("10.2.3.4", "private"), ("172.16.9.9", "private"),
        ("192.168.1.1", "private"), ("fd00::5", "private"), ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
        ("240.0.0.1", "reserved"), ("100.100.100.200", "non-global"),
        ("::ffff:10.0.0.1", "private"), ("64:ff9b::a9fe:a9fe", "link-local"), ("2002:7f00:1::", "loopback"),
        ("93.184.216.34", None), ("2606:4700:4700::1111", None), ("::ffff:93.184.216.34", None),
    ],
)
def test_address_policy(address, kind):
    assert address_problem(address) == kind


def test_loopback_url_is_refused_without_opt_in(server):
    err = fetch_one(server.base + "/page", Limits(timeout_s=3))  # robots.txt on: it must be refused too
    assert isinstance(err, ItemError) and err.reason == "private_address", err
    assert err.locator == server.base + "/page"
    assert server.base + "/page" in err.detail and "127.0.0.1" in err.detail and "loopback" in err.detail
    assert "--allow-private-addresses" in err.detail
    assert sum(server.hits.values()) == 0  # not even robots.txt was asked


def test_opt_in_fetches_it(server):
    item = fetch_one(server.base + "/page", Limits(timeout_s=3, allow_private_addresses=True))
    assert isinstance(item, RawItem) and item.data == PAGE


@pytest.mark.parametrize("target", ["http://10.0.0.7/admin", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::1]:8080/", "http://127.0.0.2/"])
def test_redirect_to_a_private_address_is_refused(server, loopback_is_public, target):
    err = fetch_one(f"{server.base}/go?{target}", STRICT)
    assert isinstance(err, ItemError) and err.reason == "private_address", err
    assert target in err.detail and err.locator == f"{server.base}/go?{target}"
    assert server.hits[f"/go?{target}"] == 1  # the allowed hop was fetched, the private one never


def test_allowed_redirect_still_works(server, loopback_is_public):
    item = fetch_one(f"{server.base}/go?{server.base}/page", STRICT)
    assert isinstance(item, RawItem) and item.hints["url"] == server.base + "/page"


@pytest.mark.parametrize("answer", [["10.1.1.1"], ["93.184.216.34", "192.168.0.10"], ["fc00::1"]])
def test_host_resolving_to_a_private_address_is_refused(dns, answer):
    table, asked = dns
    table["intranet.test"] = answer
    err = fetch_one("http://intranet.test/news", STRICT)
    assert isinstance(err, ItemError) and err.reason == "private_address", err
    private = next(a for a in answer if address_problem(a))
    assert "intranet.test" in err.detail and private in err.detail


def test_redirect_to_a_host_resolving_privately_is_refused(server, loopback_is_public, dns):
    table, _ = dns
    table["metadata.test"] = ["169.254.169.254"]
    err = fetch_one(f"{server.base}/go?http://metadata.test/latest/", STRICT)
    assert err.reason == "private_address" and "169.254.169.254" in err.detail


def test_connects_to_the_address_it_checked(server, loopback_is_public, dns):
    # DNS rebinding: the first answer passes the check, a second one would not.
    table, asked = dns
    table["rebind.test"] = [["127.0.0.1"], ["10.9.9.9"], ["10.9.9.9"]]
    item = fetch_one(f"http://rebind.test:{server.port}/page", STRICT)
    assert isinstance(item, RawItem) and item.data == PAGE
    assert asked["rebind.test"] == 1


def test_the_run_goes_on(server, loopback_is_public, dns):
    table, _ = dns
    table["intranet.test"] = ["10.1.1.1"]
    urls = [f"http://intranet.test:{server.port}/page", server.base + "/page"]
    out = list(fetch_urls(urls, STRICT))
    assert out[0].reason == "private_address" and isinstance(out[1], RawItem)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example/a", "gopher://h.example/1",
                                 "data:text/html,<p>x</p>", "javascript:alert(1)"])
def test_other_schemes_are_refused(url):
    assert fetch_one(url, Limits(allow_private_addresses=True)).reason == "bad_url"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example/a", "gopher://h.example/1"])
def test_other_schemes_given_as_inputs_are_refused(url):
    assert [e.reason for e in read_inputs([url], Limits(allow_private_addresses=True))] == ["bad_url"]


def test_redirect_to_file_scheme_is_refused(server):
    err = fetch_one(f"{server.base}/go?file:///etc/passwd", Limits(timeout_s=3, allow_private_addresses=True))
    assert err.reason == "bad_url" and "file" in err.detail


def test_feed_entry_links_are_checked(server, tmp_path):
    feed = tmp_path / "harbour.rss"
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>
<item><title>Ferry timetable</title><link>{server.base}/page</link><description>Short.</description></item>
</channel></rss>""")
    items = lambda limits: [x for x in read_file(feed, limits) if isinstance(x, (RawItem, ItemError))]  # noqa: E731
    [err] = items(Limits(fetch=True, timeout_s=3))
    assert isinstance(err, ItemError) and err.reason == "private_address" and server.base + "/page" in err.detail
    [item] = items(Limits(fetch=True, timeout_s=3, allow_private_addresses=True))
    assert isinstance(item, RawItem) and item.data == PAGE


def test_cli_flag_on_ingest_and_build(server, tmp_path):
    runner = CliRunner()
    url = server.base + "/page"
    refused = runner.invoke(main, ["ingest", url, "--db", str(tmp_path / "a.db"), "-q", "-j", "1"])
    assert refused.exit_code == 3, refused.output
    [err] = Store(tmp_path / "a.db").errors()
    assert err.reason == "private_address" and err.locator == url and "127.0.0.1" in err.detail
    allowed = runner.invoke(main, ["ingest", url, "--db", str(tmp_path / "b.db"), "-q", "-j", "1",
                                   "--allow-private-addresses"])
    assert allowed.exit_code == 0, allowed.output
    assert Store(tmp_path / "b.db").counts()["documents"] == 1
    assert "--allow-private-addresses" in runner.invoke(main, ["build", "--help"]).output
