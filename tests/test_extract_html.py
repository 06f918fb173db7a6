"""extract_html: article text and metadata from HTML pages, on fixtures written for these tests."""

from __future__ import annotations

import time

import pytest

from sitrep.extract import htmlclean
from sitrep.extract.html import HtmlExtract, extract_html, filter_lines

BODY = [
    "The river authority of Eastbrook voted on Monday to close the old stone footbridge for eight months, "
    "after engineers found that two of its arches had shifted by several centimetres since the spring floods.",
    "Council member Dana Okafor, who chairs the transport committee, said the decision had not been easy. "
    "\u201cPeople cross that bridge every morning to reach the market, and we know what we are asking of them,\u201d she said.",
    "A temporary ferry will run every twenty minutes between the two banks from the first of March, "
    "and the authority has promised to publish a weekly report on the repairs.",
    "Local shop owners on the east bank fear a drop in trade. The bakers\u2019 association asked for a rent "
    "reduction while the works last, a request the council will discuss at its next session.",
    "Engineers expect to replace the foundations of both arches and to reuse most of the original stones, "
    "which were quarried nearby in the nineteenth century.",
]

BOILERPLATE = [
    "Weather", "Sport", "Subscribe to our morning digest", "Share on Facebook", "Tweet this",
    "Festival crowds return to the harbour", "Ten recipes for a rainy weekend",
    "Great article, thanks", "I disagree with the council", "Buy two mattresses for the price of one",
    "Cookie settings",
]


def article_page(extra_body: str = "", head_extra: str = "") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in BODY)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Eastbrook closes its old footbridge for repairs | The Eastbrook Courier</title>
  <meta property="og:title" content="Eastbrook closes its old footbridge for repairs">
  <meta property="og:site_name" content="The Eastbrook Courier">
  <meta name="description" content="The river authority voted to close the bridge for eight months.">
  <link rel="canonical" href="/news/2024/03/footbridge-closed">
  <meta property="og:url" content="https://courier.example.org/news/2024/03/footbridge-closed">
  <script type="application/ld+json">
  {{"@context": "https://schema.org", "@type": "NewsArticle",
    "headline": "Eastbrook closes its old footbridge for repairs",
    "datePublished": "2024-03-04T09:30:00+01:00",
    "author": {{"@type": "Person", "name": "Mira Castellanos"}},
    "publisher": {{"@type": "Organization", "name": "The Eastbrook Courier"}}}}
  </script>
  {head_extra}
</head>
<body>
  <header><nav><ul>
    <li><a href="/weather">Weather</a></li><li><a href="/sport">Sport</a></li>
    <li><a href="/newsletter">Subscribe to our morning digest</a></li>
  </ul></nav></header>
  <div class="ad-slot ad-top"><p>Buy two mattresses for the price of one</p></div>
  <main>
    <article>
      <h1>Eastbrook closes its old footbridge for repairs</h1>
      <div class="share-bar"><ul>
        <li><a href="https://www.facebook.com/sharer/sharer.php?u=x">Share on Facebook</a></li>
        <li><a href="https://twitter.com/intent/tweet?url=x">Tweet this</a></li>
      </ul></div>
      <div class="article-body">
        {paragraphs}
        {extra_body}
      </div>
      <section class="related-stories">
        <h2>More from the Courier</h2>
        <ul>
          <li><a href="/a">Festival crowds return to the harbour</a></li>
          <li><a href="/b">Ten recipes for a rainy weekend</a></li>
        </ul>
      </section>
    </article>
    <section id="comments" class="comments">
      <h3>3 comments</h3>
      <div class="comment"><p>Great article, thanks</p></div>
      <div class="comment"><p>I disagree with the council</p></div>
    </section>
  </main>
  <footer><p><a href="/cookies">Cookie settings</a></p><p>All rights reserved.</p></footer>
</body>
</html>"""


URL = "https://courier.example.org/news/2024/03/footbridge-closed?utm_source=feed"


@pytest.fixture(scope="module")
def page() -> HtmlExtract:
    result = extract_html(article_page(), url=URL)
    assert result is not None
    return result


def test_body_paragraphs_kept_in_order(page):
    lines = page.text.split("\n")
    for paragraph in BODY:
        assert paragraph in lines
    positions = [page.text.index(p) for p in BODY]
    assert positions == sorted(positions)


def test_boilerplate_left_out(page):
    for chrome in BOILERPLATE:
        assert chrome not in page.text, chrome


def test_headline_not_repeated_in_body(page):
    assert "Eastbrook closes its old footbridge" not in page.text
    assert page.text.startswith(BODY[0])


def test_metadata(page):
    assert page.title == "Eastbrook closes its old footbridge for repairs"
    assert page.author == "Mira Castellanos"
    assert page.published == "2024-03-04"
    assert page.site_name == "The Eastbrook Courier"
    assert page.canonical_url == "https://courier.example.org/news/2024/03/footbridge-closed"
    assert page.language == "en"


def test_bytes_input_with_declared_charset():
    html = article_page().replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    html = html.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    result = extract_html(html.replace("stones,", "stones (caf\u00e9 r\u00e9sum\u00e9),").encode("iso-8859-1"), url=URL)
    assert result is not None
    assert "caf\u00e9 r\u00e9sum\u00e9" in result.text


def test_deterministic():
    html = article_page()
    first, second = extract_html(html, url=URL), extract_html(html, url=URL)
    assert first == second


def test_page_without_article_body_is_none():
    html = """<html><head><title>Sign in</title></head><body>
      <nav><a href="/">Home</a> <a href="/about">About</a></nav>
      <form><label>User</label><input name="u"><label>Password</label><input type="password" name="p">
      <button>Sign in</button></form>
      <footer><a href="/privacy">Privacy</a></footer></body></html>"""
    assert extract_html(html) is None


@pytest.mark.parametrize("html", ["", b"", "just a few words", "\x00" * 500, bytes(range(256)) * 200])
def test_empty_and_non_html_input(html):
    assert extract_html(html) is None


# -- DOM rules -------------------------------------------------------------------


def test_hover_card_dropped_but_the_name_stays():
    card = ('<span class="person-rollover"><a href="/people/okafor">Dana Okafor</a>'
            '<span class="rollover-block"><a href="/x">Okafor backs new tram line</a> '
            '<a href="/y">Okafor re-elected to committee</a></span></span>')
    extra = f"<p>The motion was tabled by {card} and passed by nine votes to four after a long debate.</p>"
    result = extract_html(article_page(extra), url=URL)
    assert "The motion was tabled by Dana Okafor and passed by nine votes to four" in result.text
    assert "tram line" not in result.text
    with_rule_off = extract_html(article_page(extra), url=URL, skip={"hover_cards"})
    assert "tram line" in with_rule_off.text  # the fixture does exercise the rule


def test_link_only_paragraphs_and_teaser_lists_dropped():
    extra = (
        '<p><strong><a href="/v/1">WATCH: OUR REPORTER WALKS THE BRIDGE ONE LAST TIME</a></strong></p>'
        '<p>Related: <a href="/c">Why old bridges crack in cold winters and what towns can do</a></p>'
        '<ul><li><a href="/d">Ferry timetable changes for the spring season</a></li>'
        '<li><a href="/e">Market traders count the cost of the floods</a></li></ul>'
        "<p>The authority also said it had read <a href=\"/report\">the full engineering report</a>, "
        "which runs to two hundred pages and recommends closing the bridge to all traffic.</p>"
    )
    result = extract_html(article_page(extra), url=URL)
    for teaser in ("WALKS THE BRIDGE", "old bridges crack", "Ferry timetable", "Market traders"):
        assert teaser not in result.text, teaser
    assert "recommends closing the bridge to all traffic" in result.text  # a link inside prose stays
    off = extract_html(article_page(extra), url=URL, skip={"link_blocks"})
    assert "old bridges crack" in off.text


def test_list_of_prose_items_with_links_kept():
    extra = (
        "<p>The committee listed its conditions:</p><ul>"
        '<li>The ferry must run until <a href="/t">the last market day</a> of each week, including holidays.</li>'
        "<li>Repairs must stop during the salmon migration in early autumn, as required by law.</li>"
        "</ul>"
    )
    result = extract_html(article_page(extra), url=URL)
    assert "including holidays" in result.text
    assert "salmon migration" in result.text


def test_embedded_post_in_a_social_wrapper_is_kept():
    tweet = (
        '<div class="social-embed"><blockquote class="twitter-tweet"><p lang="en">'
        "The footbridge closes today, so plan for the ferry queue tomorrow morning.</p>"
        "&mdash; Eastbrook Ferries (@eastbrookferry) March 4, 2024</blockquote>"
        '<script async src="https://platform.twitter.com/widgets.js"></script></div>'
    )
    result = extract_html(article_page(tweet), url=URL)
    assert "plan for the ferry queue tomorrow morning" in result.text


# -- line rules --------------------------------------------------------------------


def test_tail_notes_and_datelines_removed_and_recorded():
    lines = ["Headline of the day", "By Mira Castellanos", *BODY,
             "Additional reporting by Tom Reyes",
             "Mira Castellanos can be reached at mira@example.org. Follow her on Twitter @miracast.",
             "Updated at 4:05 p.m.",
             "Morning digest",
             "Subscribe to our newsletter for the day's top stories."]
    kept, removed = filter_lines(lines, ["Headline of the day | Courier"], "Mira Castellanos", "Courier")
    assert kept == BODY
    rules = {r.text: r.rule for r in removed}
    assert rules["Headline of the day"] == "headline_echo"
    assert rules["By Mira Castellanos"] == "byline"
    assert rules["Additional reporting by Tom Reyes"] == "credit_line"
    assert rules["Updated at 4:05 p.m."] == "dateline"
    assert rules["Morning digest"] == "tail_heading"
    assert rules["Subscribe to our newsletter for the day's top stories."] == "promo"
    assert all(lines[r.line_no] == r.text for r in removed)


def test_story_sentences_that_mention_trigger_words_stay():
    body = [
        "The mayor said the bridge had been updated at 4 p.m. on the council website, then read the report aloud.",
        "Critics argue that digital subscriptions will not save local papers that readers no longer trust.",
        "Eastbrook Courier reporters counted more than two hundred people waiting for the ferry on Tuesday.",
    ]
    kept, removed = filter_lines(["Intro line that is long enough to be a paragraph of the story."] * 5 + body,
                                 [], None, "Eastbrook Courier")
    assert kept[-3:] == body, removed


def test_press_release_company_boilerplate():
    lines = [*BODY, "Acmeworks is a leading maker of industrial valves, with offices in nine countries.",
             "About Acmeworks"]
    kept, removed = filter_lines(lines, [], None, "acmeworks.com")
    assert kept == BODY
    assert {r.rule for r in removed} == {"company_boilerplate"}


def test_standfirst_under_the_headline():
    lines = ["Bridge closes", "Eight months of repairs leave the east bank without a direct crossing", *BODY]
    kept, removed = filter_lines(lines, ["Bridge closes"], None, None)
    assert kept == BODY
    # but a first paragraph closed like a sentence is the story itself
    kept, _ = filter_lines(["Bridge closes", *BODY], ["Bridge closes"], None, None)
    assert kept == BODY


def test_event_time_ranges_are_not_datelines():
    lines = [*BODY, "Opening hours", "9.30 a.m. / 7.00 p.m.", "4 March 2024 | 30 November 2024"]
    kept, _ = filter_lines(lines, [], None, None)
    assert "9.30 a.m. / 7.00 p.m." in kept
    assert "4 March 2024 | 30 November 2024" in kept


# -- hostile input -------------------------------------------------------------------


def _timed(html):
    start = time.perf_counter()
    result = extract_html(html)
    return result, time.perf_counter() - start


def test_deeply_nested_tags_do_not_hang():
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    _, seconds = _timed("<html><body>" + "<div>" * 50_000 + paragraphs + "</div>" * 50_000 + "</body></html>")
    assert seconds < 20
    result, seconds = _timed("<html><body>" + "<span><b>" * 30_000 + paragraphs)
    assert seconds < 20


def test_script_and_style_content_never_in_text():
    extra = (
        "<script>var secret = 'tracking-code-123'; document.write('<p>injected paragraph</p>');</script>"
        "<style>.x { content: 'stylesheet text'; }</style>"
        "<p>A reader wrote &lt;script&gt;alert(1)&lt;/script&gt; into the council's feedback form last year.</p>"
    )
    result = extract_html(article_page(extra), url=URL)
    for code in ("tracking-code-123", "injected paragraph", "stylesheet text", "document.write"):
        assert code not in result.text
    # markup written as text in the page is the article's text, shown literally
    assert "<script>alert(1)</script>" in result.text


def test_huge_attribute_and_oversized_input():
    huge = article_page(extra_body='<div data-blob="' + "x" * 2_000_000 + '"></div>')
    result, seconds = _timed(huge)
    assert result is not None and BODY[0] in result.text
    assert seconds < 20
    # beyond the 5 MB cap the rest is never parsed
    result, seconds = _timed(article_page() + "<p>" + "tail " * 2_000_000 + "</p>")
    assert seconds < 30


def test_malformed_markup():
    html = ("<html><body><article><h1>Bridge<p>" + "</p><p>".join(BODY) +
            "<div><span></div></table></td><p>Unclosed final paragraph about the ferry schedule for the spring")
    result = extract_html(html)
    assert result is not None
    assert BODY[2] in result.text


def test_rule_names_are_unique():
    from sitrep.extract.html import LINE_RULES

    names = list(htmlclean.RULES) + list(LINE_RULES)
    assert len(names) == len(set(names))
