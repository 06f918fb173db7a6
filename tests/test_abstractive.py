"""The abstractive briefing against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitrep.corroborate import abstractive as ab
from sitrep.corroborate import citecheck
from sitrep.model import BriefSentence, Briefing, Citation

TEXTS = {
    "a": "The river ferry to Ostholm resumed on Monday after a four-day stoppage. Mayor Lena Brandt opened it.",
    "b": "Ferries to Ostholm run again since Monday; the stoppage lasted four days, port officials said.",
}


def cite(doc: str, phrase: str) -> Citation:
    i = TEXTS[doc].index(phrase)
    return Citation(doc, i, i + len(phrase))


FERRY_A = cite("a", "The river ferry to Ostholm resumed on Monday after a four-day stoppage")
FERRY_B = cite("b", "Ferries to Ostholm run again since Monday; the stoppage lasted four days")
MAYOR = cite("a", "Mayor Lena Brandt opened it")
EXTRACTIVE = Briefing("s", "Ostholm ferry", [
    BriefSentence("happened", "The ferry to Ostholm resumed after a four-day stoppage.", [FERRY_A, FERRY_B]),
    BriefSentence("actors", "Lena Brandt is referred to as “Mayor” (single source).", [MAYOR]),
])

FAITHFUL = """## happened
Ferry service to Ostholm restarted after four days at a standstill. [1][2]
## actors
Mayor Lena Brandt reopened the line. [3]"""
INVENTED = """## happened
Ferry service to Ostholm restarted after 9 days, costing 40 jobs [1][2].
## actors
Mayor Lena Brandt reopened the line [3]. Governor Piet Olsen welcomed it [3]. Boats returned too."""


class Fake(BaseHTTPRequestHandler):
    mode = "faithful"
    seen: list = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Fake.seen.append((self.path, body, self.headers.get("Authorization")))
        mode = Fake.mode
        if mode == "500":
            return self._send(500, b'{"error": "model crashed"}')
        if mode == "slow":
            time.sleep(1.5)
        if mode == "garbage":
            return self._send(200, b"<html>not json</html>")
        if mode == "nochoices":
            return self._send(200, b'{"object": "error"}')
        if mode == "redirect":
            self.send_response(307)
            self.send_header("Location", "http://example.invalid/v1/chat/completions")
            self.end_headers()
            return None
        content = {"faithful": FAITHFUL, "invented": INVENTED, "slow": FAITHFUL}[mode]
        self._send(200, json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode())

    def _send(self, code: int, data: bytes):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # the client gave up on a slow answer: expected
        pass


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Fake)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()
    t.join(5)


def endpoint(url: str, **kw) -> ab.Endpoint:
    return ab.Endpoint(url, "tiny-test-model", **{"timeout": 5.0, **kw})


def run(server, mode: str, **kw) -> Briefing:
    Fake.mode = mode
    return ab.rewrite(EXTRACTIVE, TEXTS, endpoint(server), **kw)


def test_prompt_numbers_citations():
    body, cites, section_of = ab.numbered(EXTRACTIVE)
    assert "stoppage. [1][2]" in body and "(single source). [3]" in body and "## actors" in body
    assert cites == [FERRY_A, FERRY_B, MAYOR] and section_of == {1: "happened", 2: "happened", 3: "actors"}


def test_faithful_rewrite_kept(server, monkeypatch):
    monkeypatch.setenv(ab.API_KEY_ENV, "sekret")
    b = run(server, "faithful")
    assert b.mode == "abstractive:tiny-test-model"
    assert [(s.section, s.text, s.citations, s.supported) for s in b.sentences] == [
        ("happened", "Ferry service to Ostholm restarted after four days at a standstill.", [FERRY_A, FERRY_B], True),
        ("actors", "Mayor Lena Brandt reopened the line.", [MAYOR], True)]
    path, body, auth = Fake.seen[-1]
    assert path == "/v1/chat/completions" and body["model"] == "tiny-test-model" and auth == "Bearer sekret"
    assert "[1][2]" in body["messages"][-1]["content"]
    assert citecheck.check(b, TEXTS) == []


def test_invented_content_dropped_or_marked(server):
    dropped = run(server, "invented")
    assert [s.text for s in dropped.sentences] == ["Mayor Lena Brandt reopened the line."]
    marked = run(server, "invented", unsupported="mark")
    by_text = {s.text: s.supported for s in marked.sentences}
    assert by_text == {"Ferry service to Ostholm restarted after 9 days, costing 40 jobs.": False,
                       "Mayor Lena Brandt reopened the line.": True,
                       "Governor Piet Olsen welcomed it.": False,
                       "Boats returned too.": False}  # no marker: no citation


@pytest.mark.parametrize("mode,words", [("garbage", "did not answer JSON"), ("500", "HTTP 500"),
                                        ("nochoices", "without choices"), ("redirect", "another host")])
def test_bad_answers_raise_clear_errors(server, mode, words):
    with pytest.raises(ab.LLMError, match=words):
        run(server, mode)


def test_timeout_and_unreachable(server):
    Fake.mode = "slow"
    with pytest.raises(ab.LLMError, match="timed out after 0.3 s"):
        ab.rewrite(EXTRACTIVE, TEXTS, endpoint(server, timeout=0.3))
    with pytest.raises(ab.LLMError, match="unreachable"):
        ab.rewrite(EXTRACTIVE, TEXTS, endpoint("http://127.0.0.1:9/v1"))


def test_size_cap(server):
    Fake.mode = "faithful"
    with pytest.raises(ab.LLMError, match="more than 50 bytes"):
        ab.rewrite(EXTRACTIVE, TEXTS, endpoint(server, max_bytes=50))


def test_fallback_only_when_asked(server):
    Fake.mode = "500"
    with pytest.raises(ab.LLMError):
        ab.brief_or_fallback(EXTRACTIVE, TEXTS, endpoint(server), fallback=False)
    b, note = ab.brief_or_fallback(EXTRACTIVE, TEXTS, endpoint(server), fallback=True)
    assert b is EXTRACTIVE and "HTTP 500" in note and "extractive briefing is given instead" in note


def test_parse_markers_in_any_position():
    cites = [FERRY_A, FERRY_B, MAYOR]
    got = ab.parse("- First thing [1, 2]. Second thing.[3]\n1. Third [7] thing.", cites, {1: "happened", 3: "actors"})
    assert [(s.text, s.citations, s.section) for s in got] == [
        ("First thing.", [FERRY_A, FERRY_B], "happened"), ("Second thing.", [MAYOR], "actors"),
        ("Third thing.", [], "happened")]


def test_endpoint_by_url_and_model(server):
    Fake.mode = "faithful"
    b = ab.rewrite(EXTRACTIVE, TEXTS, base_url=server, model="other-model")
    assert b.mode == "abstractive:other-model" and len(b.sentences) == 2
    with pytest.raises(ValueError):
        ab.rewrite(EXTRACTIVE, TEXTS)
