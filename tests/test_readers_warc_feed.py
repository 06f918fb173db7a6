"""WARC and feed readers: items, locators, hints, and every error path."""

from __future__ import annotations

import gzip
import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitrep.ingest.feed import looks_like_feed, read_feed
from sitrep.ingest.limits import Limits
from sitrep.ingest.warc import read_warc
from sitrep.model import HTML, TEXT, ItemError, RawItem

LIMITS = Limits()

PAGE_1 = (
    b"<html><head><title>Bridge reopens</title></head><body><p>The river bridge in Northvale "
    b"reopened on Tuesday after three weeks of repairs, the county said.</p></body></html>"
)
PAGE_2 = (
    b"<!doctype html><html><body><p>Harbour workers in Eastport voted to end a two-day strike "
    b"after the port authority offered a new shift schedule.</p>" + b"<p>More detail.</p>" * 40 + b"</body></html>"
)


# --- WARC ---------------------------------------------------------------------


def _response(w, url, body, status="200 OK", ctype="text/html; charset=utf-8", extra=()):
    headers = [("Content-Type", ctype)] if ctype else []
    http = StatusAndHeaders(status, headers + list(extra), protocol="HTTP/1.1")
    rec = w.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
                               warc_headers_dict={"WARC-Date": "2025-03-04T05:06:07Z"})
    w.write_record(rec)


def _request(w, url):
    http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
    w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0, http_headers=http))


def build_warc(gz: bool) -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    w.write_record(w.create_warcinfo_record("test.warc", {"software": "sitrep-tests"}))  # 1
    _request(w, "http://news.example/bridge")  # 2
    _response(w, "http://news.example/bridge", PAGE_1)  # 3
    _response(w, "http://news.example/logo.png", b"\x89PNG....", ctype="image/png")  # 4
    _response(w, "http://news.example/gone", b"<html><body>not here</body></html>", status="404 Not Found")  # 5
    _response(w, "http://news.example/moved", b"", status="301 Moved", ctype="text/html",
              extra=[("Location", "/bridge")])  # 6
    # Content-Encoding gzip: the reader must hand over the decoded HTML.
    _response(w, "http://news.example/strike", gzip.compress(PAGE_2),
              extra=[("Content-Encoding", "gzip")])  # 7
    _response(w, "http://news.example/untyped", PAGE_1.replace(b"Tuesday", b"Monday"), ctype=None)  # 8
    _response(w, "http://news.example/data.bin", b"\x00\x01binary", ctype=None)  # 9
    return buf.getvalue()


@pytest.mark.parametrize("gz", [True, False])
def test_warc_items_locators_hints(gz):
    out = list(read_warc("crawl.warc", build_warc(gz), LIMITS))
    items = [x for x in out if isinstance(x, RawItem)]
    errors = [x for x in out if isinstance(x, ItemError)]
    assert [i.locator for i in items] == ["crawl.warc#record=3", "crawl.warc#record=7", "crawl.warc#record=8"]
    assert all(i.kind == HTML and i.container is None and i.container_locator == "crawl.warc" for i in items)
    assert items[0].data == PAGE_1
    assert items[0].hints == {"url": "http://news.example/bridge", "fetched": "2025-03-04T05:06:07Z"}
    assert items[1].data == PAGE_2  # content-encoding undone
    assert b"Monday" in items[2].data  # no content type, sniffed as HTML
    assert [(e.locator, e.reason) for e in errors] == [("crawl.warc#record=5", "http_status")]
    assert "404" in errors[0].detail


def test_warc_payload_over_limit():
    out = list(read_warc("crawl.warc.gz", build_warc(True), Limits(max_item_bytes=300)))
    by_loc = {x.locator: x for x in out}
    assert isinstance(by_loc["crawl.warc.gz#record=3"], RawItem)  # PAGE_1 is under 300 bytes
    assert by_loc["crawl.warc.gz#record=7"].reason == "too_large"  # PAGE_2 decoded is over


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_keeps_earlier_records(gz):
    data = build_warc(gz)
    full = [x for x in read_warc("w", data, LIMITS) if isinstance(x, RawItem)]
    out = list(read_warc("w", data[: len(data) // 2], LIMITS))
    assert isinstance(out[-1], ItemError) and out[-1].reason == "truncated", out[-1]
    items = [x for x in out if isinstance(x, RawItem)]
    assert items and items == full[: len(items)]
    assert sum(isinstance(x, ItemError) and x.reason == "truncated" for x in out) == 1


def test_warc_gzip_trailer_cut_is_truncated():
    data = build_warc(True)
    out = list(read_warc("w", data[:-3], LIMITS))
    assert len([x for x in out if isinstance(x, RawItem)]) == 3
    assert out[-1].reason == "truncated"


def test_whole_file_gzip_warc_is_read():
    # A plain WARC gzipped as one member (not per record) is common in the wild.
    out = list(read_warc("w", gzip.compress(build_warc(False)), LIMITS))
    assert len([x for x in out if isinstance(x, RawItem)]) == 3


def test_warc_gzip_bomb_is_bounded():
    data = build_warc(False) + b"\r\n" * (2 * 1024 * 1024)  # 4 MiB that gzip to a few KB
    out = list(read_warc("w", gzip.compress(data), Limits(max_decompressed_ratio=2)))
    assert out[-1].reason == "too_large" and "bomb" in out[-1].detail


@pytest.mark.parametrize("data", [b"this is not an archive\nat all\n", b"\x1f\x8b\x08\x00garbage", b"<html>x</html>"])
def test_not_warc(data):
    assert [(x.locator, x.reason) for x in read_warc("junk.warc", data, LIMITS)] == [("junk.warc", "not_warc")]


def test_empty_warc():
    assert [x.reason for x in read_warc("e.warc", b"", LIMITS)] == ["empty"]


# --- feeds --------------------------------------------------------------------

STORY = (
    "Officials in the town of Lindqvist confirmed on Friday that the old ferry will stop running "
    "at the end of the month. The council said a new bridge, under construction since spring, "
    "would carry traffic by then. Residents who rely on the ferry asked for a bus link in the meantime, "
    "and the transport office promised to answer within a week. "
)

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Lindqvist Courier</title>
  <link>http://courier.example/</link>
  <description>Local news</description>
  <item>
    <title>Ferry to stop &amp; bridge to open</title>
    <link>http://courier.example/ferry</link>
    <dc:creator>Mara Olsen</dc:creator>
    <pubDate>Fri, 14 Mar 2025 09:30:00 +0100</pubDate>
    <description>The ferry stops soon.</description>
    <content:encoded><![CDATA[<p>{STORY}</p><p>{STORY}</p>]]></content:encoded>
  </item>
  <item>
    <title>Library hours extended</title>
    <link>http://courier.example/library</link>
    <pubDate>Sat, 15 Mar 2025 10:00:00 +0000</pubDate>
    <description>The library will open later on weekdays.</description>
  </item>
  <item>
    <title>Market day moved</title>
    <link>http://courier.example/market</link>
    <description>{(STORY + " ") * 3}</description>
  </item>
</channel>
</rss>""".encode()

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Eastport Daily</title>
  <id>urn:example:eastport</id>
  <updated>2025-04-02T12:00:00Z</updated>
  <entry>
    <title type="html">Strike &lt;em&gt;ends&lt;/em&gt;</title>
    <link href="http://eastport.example/strike"/>
    <id>urn:example:strike</id>
    <updated>2025-04-02T11:00:00Z</updated>
    <author><name>Ivo Marsh</name></author>
    <content type="html">&lt;p&gt;{STORY}&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Notice</title>
    <id>urn:example:notice</id>
    <updated>2025-04-02T11:30:00Z</updated>
    <content type="text">The office is closed on Monday.</content>
  </entry>
</feed>""".encode()


def test_rss_content_encoded_and_summary_rules():
    out = list(read_feed("courier.xml", RSS, LIMITS))
    first, second, third = out
    assert isinstance(first, RawItem) and first.kind == HTML
    assert first.locator == "courier.xml#entry=1" and first.container_locator == "courier.xml"
    assert b"old ferry will stop running" in first.data and first.container is None
    assert first.hints == {
        "url": "http://courier.example/ferry",
        "title": "Ferry to stop & bridge to open",
        "published": "2025-03-14T08:30:00Z",
        "author": "Mara Olsen",
        "source": "Lindqvist Courier",
    }
    assert isinstance(second, ItemError) and second.reason == "no_content"
    assert second.locator == "courier.xml#entry=2" and "http://courier.example/library" in second.detail
    assert "--fetch" in second.detail
    # A long description is the article itself.
    assert isinstance(third, RawItem) and b"transport office" in third.data


def test_atom_content():
    out = list(read_feed("eastport.atom", ATOM, LIMITS))
    assert isinstance(out[0], RawItem) and out[0].kind == HTML
    assert out[0].hints["title"] == "Strike ends"
    assert out[0].hints["published"] == "2025-04-02T11:00:00Z"
    assert out[0].hints["author"] == "Ivo Marsh" and out[0].hints["source"] == "Eastport Daily"
    # Short typed-text content with no way to fetch: yielded as it is, as text.
    assert isinstance(out[1], RawItem) and out[1].kind == TEXT and out[1].data == b"The office is closed on Monday."


def test_summary_only_entry_is_fetched_when_allowed():
    calls = []

    def fetcher(url, limits):
        calls.append(url)
        page = b"<html><body><p>The library now opens at ten.</p></body></html>"
        return RawItem(url, HTML, page, hints={"url": url + "?final", "title": "Page title", "http_status": 200})

    out = list(read_feed("courier.xml", RSS, Limits(fetch=True), fetcher=fetcher))
    assert calls == ["http://courier.example/library"]  # full entries are not fetched
    item = out[1]
    assert isinstance(item, RawItem) and b"opens at ten" in item.data
    assert item.hints["title"] == "Library hours extended"  # the feed wins
    assert item.hints["published"] == "2025-03-15T10:00:00Z"
    assert item.hints["url"] == "http://courier.example/library?final"  # final URL after redirects
    assert item.hints["http_status"] == 200 and item.hints["feed_entry"] == "courier.xml#entry=2"

    # A fetcher is not used unless limits.fetch says so.
    assert [x.reason for x in read_feed("c", RSS, LIMITS, fetcher=fetcher) if isinstance(x, ItemError)] == ["no_content"]
    assert len(calls) == 1


def test_fetch_failure_is_reported_on_the_entry():
    out = list(read_feed("c.xml", RSS, Limits(fetch=True), fetcher=lambda u, l: ItemError(u, "timeout", "slow")))
    assert (out[1].locator, out[1].reason) == ("c.xml#entry=2", "timeout")


@pytest.mark.parametrize(
    "data",
    [
        b"<?xml version='1.0'?><inventory><part id='7'>bolt</part></inventory>",
        b"<!doctype html><html><head><title>Shop</title></head><body><p>Welcome</p></body></html>",
        b"{\"not\": \"xml\"}",
    ],
)
def test_not_a_feed(data):
    assert [(x.locator, x.reason) for x in read_feed("x", data, LIMITS)] == [("x", "not_a_feed")]


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-PAYLOAD-4417")
    for root in ("rss", "feed"):
        doc = f"""<?xml version="1.0"?>
<!DOCTYPE {root} [<!ENTITY leak SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><title>Leaky &leak;</title>
<item><title>Entry &leak;</title><link>http://x.example/1</link>
<description>{STORY * 3} &leak;</description></item></channel></rss>""".encode()
        out = list(read_feed("xxe.xml", doc, LIMITS))
        assert out, "the feed itself should still be read"
        assert "SECRET-PAYLOAD" not in repr(out)


def test_bytes_are_never_taken_as_a_path(tmp_path):
    # feedparser opens a bytes argument as a file path; we must not let it.
    target = tmp_path / "feed.xml"
    target.write_bytes(RSS)
    out = list(read_feed("p", str(target).encode(), LIMITS))
    assert [x.reason for x in out] == ["not_a_feed"]


def test_looks_like_feed():
    assert looks_like_feed(RSS) and looks_like_feed(ATOM)
    assert looks_like_feed(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- hi -->\n<rdf:RDF xmlns:rdf="x">')
    assert looks_like_feed(b'<!DOCTYPE rss [<!ENTITY a "b">]>\n<rss version="2.0">')
    assert not looks_like_feed(PAGE_1)
    assert not looks_like_feed(b"<html><body><feed>tricky</feed></body></html>")
    assert not looks_like_feed(b"<?xml version='1.0'?><inventory/>")
