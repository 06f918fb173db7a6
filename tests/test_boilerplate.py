"""Boilerplate cleaning and title guessing: each rule, what must survive, the real seeds."""

from __future__ import annotations

import json
import re

import pytest

from sitrep.extract.boilerplate import RULES, clean_text
from sitrep.extract.title import guess_title

P1 = (
    "The harbour board voted on Tuesday to widen the north channel, ending two years of "
    "hearings in which fishing crews and shipping firms argued over the dredging plan."
)
P2 = (
    "Work is due to start in spring, and the board said the fleet would keep its berths "
    "while the dredgers are in the water, although some captains remain doubtful."
)
BODY = f"{P1}\n\n{P2}"


def removed(text: str) -> list[tuple[str, str]]:
    return [(r.rule, r.text) for r in clean_text(text)[1]]


# -- each rule, in the position where it is chrome -------------------------------

HEAD = [
    ("breadcrumb", "Home » Local » Harbour board backs wider channel"),
    ("breadcrumb", "Home > News > Coast"),
    ("breadcrumb", "News › Region › Ports"),
    ("site_nav", "Skip to main content"),
    ("reading_time", "4 min read"),
    ("reading_time", "Reading time: 6 minutes"),
    ("timestamp_ago", "3 hours ago"),
    ("cookie_notice", "We use cookies to improve your experience on our website. By continuing you accept them."),
    ("nav_links", "World | Business | Sport | Culture"),
]

MIDDLE = [
    ("advertisement", "Advertisement"),
    ("advertisement", "ADVERTISEMENT - SCROLL TO CONTINUE"),
    ("advertisement", "Story continues below advertisement"),
    ("related_links", "Read more: Ferry timetable changes for the winter"),
    ("related_links", "RELATED | Dredging firm wins second contract"),
    ("share_buttons", "Share this article"),
    ("share_buttons", "Facebook Twitter WhatsApp Email"),
    ("share_buttons", "2.3K Shares   Share on Facebook   Share on X   Email"),
    ("share_buttons", "Share this story: Facebook 410 | Reddit | Copy link"),
    ("share_count", "1.2K shares"),
    ("social_follow", "Follow us on Instagram and Threads"),
    ("social_follow", "Follow Jo Marsh on X @jomarsh_news."),
    ("newsletter", "Sign up for our newsletter"),
    ("newsletter", "Get the morning briefing delivered to your inbox every day."),
    ("image_credit", "Photo: Lena Ortiz/Harbour Times"),
    ("image_credit", "Image credit: Port Authority"),
    ("image_credit", "(Photo by Sam Reyes/Getty Images)"),
    ("image_credit", "image source from:portnews"),
    ("comment_prompt", "Comments (12)"),
    ("comment_prompt", "Leave a Reply"),
    ("promo_link", "Click here to see the full dredging map"),
    ("prev_next", "Previous article"),
    ("copyright", "© 2025 Harbour Times Media. All rights reserved."),
]

TAIL = [
    ("related_links", "You may also like"),
    ("related_links", "Most read"),
    ("comment_prompt", "Leave a Comment"),
    ("comment_policy", "This site uses Akismet to reduce spam. Learn how your comment data is processed."),
    ("comment_policy", "Your email address will not be published. Required fields are marked *"),
    ("adblock_notice", "Adblock Detected"),
    ("adblock_notice", "Please support our reporting by turning off your ad blocker for this site."),
    ("promo_link", "Explore more coverage of the coast in our special report."),
    ("promo_link", "Read the full interview with the harbour master here."),
    ("copyright", "All rights reserved"),
    ("tags", "Tags: harbour, dredging, fishing"),
    ("tags", "Posted in Local News"),
    ("language_picker", "English (UK) ·"),
    ("language_picker", "English | Español | Français"),
    ("timestamp_ago", "2 weeks ago"),
    ("share_count", "87"),
    ("prev_next", "Next article »"),
]


@pytest.mark.parametrize(("rule", "line"), HEAD)
def test_head_rule(rule, line):
    text = f"{line}\n\n{BODY}"
    assert clean_text(text) == (BODY, clean_text(text)[1])
    assert removed(text) == [(rule, line)]


@pytest.mark.parametrize(("rule", "line"), MIDDLE)
def test_anywhere_rule_in_the_middle(rule, line):
    text = f"{P1}\n{line}\n{P2}"
    out, rem = clean_text(text)
    assert out == f"{P1}\n{P2}"
    assert [(r.rule, r.text, r.line_no) for r in rem] == [(rule, line, 1)]


@pytest.mark.parametrize(("rule", "line"), TAIL)
def test_tail_rule(rule, line):
    text = f"{BODY}\n\n{line}\n"
    assert clean_text(text)[0] == BODY + "\n"
    assert removed(text) == [(rule, line)]


def test_rule_table_is_named_and_placed():
    assert all(re.fullmatch(r"[a-z_]+", r.name) and r.where in {"any", "edge", "end"} for r in RULES)
    covered = {rule for rule, _ in HEAD + MIDDLE + TAIL}
    assert {r.name for r in RULES} <= covered | {"site_nav"}


# -- what must survive ------------------------------------------------------------

SENTENCES = [
    "The company said advertisement revenue fell by a third over the summer.",
    "Advertisement boards along the quay will be taken down before the work starts.",
    "Asked for a comment, the harbour master said only that the plan was sound.",
    "Leave a comment at the town hall if you object, the notice told residents.",
    "Shares in the dredging firm rose 4% after the vote.",
    "Share prices across the sector moved little.",
    "Follow the money, one captain said, and you will see who gains.",
    "Home owners near the quay were promised compensation.",
    "Home » is the symbol the new signs use, and nobody understands it.",
    "She said « nous verrons » » and left the hall.",
    "The bakery uses cookies from a local mill and sells out by noon.",
    "Users who disable their ad blockers see more of the council's notices, a survey found.",
    "Copyright lawyers for the survey firm declined to comment.",
    "All rights reserved by the original charter remain with the town, the court held.",
    "Read more closely, the report says the channel may silt up again within a decade.",
    "Explore the coast by boat and you will see how narrow the channel is.",
    "Click beetles were found in the dredged mud, to the surprise of biologists.",
    "Next year the board will review the plan.",
    "Photo: a crane lifts the first section of the new breakwater into place at dawn on Monday.",
    "Tags on the crates showed they came from three ports.",
    "Posted in Anchorage for two winters, the engineer knows the ice well.",
    "Related to the vote was a second motion on mooring fees.",
    "You may also like the new ferry timetable, the mayor joked.",
    "Comments from the public will be accepted until May.",
    "Learn more about the harbour's history at the town museum, the board suggested.",
    "More about the plan will be announced at the next meeting.",
    "Discover more of the coast and the old trade routes appear, the guide writes.",
    "Get-out-the-vote volunteers filled the inbox of every voter in the ward.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("where", ["head", "middle", "tail"])
def test_sentences_mentioning_chrome_words_survive(sentence, where):
    text = {
        "head": f"{sentence}\n\n{BODY}",
        "middle": f"{P1}\n{sentence}\n{P2}",
        "tail": f"{BODY}\n\n{sentence}",
    }[where]
    assert clean_text(text) == (text, [])


@pytest.mark.parametrize(
    "line",
    [
        "42",  # a lone number mid-text may be data
        "Tags: harbour, dredging",  # tag lists count only at the edges
        "Related",  # a bare "Related" could be a heading inside the article
        "English | Español",
        "Most read",
        "More on the vote",  # a subheading inside, a link header at the edges
    ],
)
def test_edge_rules_do_not_fire_mid_article(line):
    text = f"{P1}\n{line}\n{P2}"
    assert clean_text(text) == (text, [])


def test_lone_number_counts_only_in_the_final_run():
    text = f"{BODY}\n\n17\nSteering committee\n"  # an unknown line after the number: not chrome
    assert removed(text) == []


def test_article_structure_survives():
    text = (
        "Channel work approved\n\n"
        "by Jo Marsh, Coast Reporter\n\n"
        f"{P1}\n\n"
        "Why the Channel Matters\n\n"
        f"{P2}\n\n"
        "Did you know?: the channel was last dredged in 1987.\n\n"
        "Frequently Asked Questions\n\n"
        "Q: When does the work start?\nA: In spring, weather allowing.\n\n"
        "Call to Action\n\n"
        "Readers can send their views to the board before the next meeting in May.\n"
    )
    assert clean_text(text) == (text, [])


def test_related_links_listed_under_a_header_go_with_it():
    text = f"{BODY}\n\nYou may also like\nFerry fares to rise in autumn\nNew lighthouse keeper named\n\nLeave a Comment"
    assert removed(text) == [
        ("related_links", "You may also like"),
        ("related_links", "Ferry fares to rise in autumn"),
        ("related_links", "New lighthouse keeper named"),
        ("comment_prompt", "Leave a Comment"),
    ]
    assert clean_text(text)[0] == BODY


def test_comment_form_fields_go_with_the_comment_prompt():
    text = f"{BODY}\n\nLeave a Reply\nName *\nYour email\nWebsite\nPost Comment"
    assert [rule for rule, _ in removed(text)] == ["comment_prompt"] * 5
    assert clean_text(f"{P1}\nYour email\n{P2}")[1] == []  # a form field only at the edges


def test_short_lines_at_the_end_stay_without_a_header():
    text = f"{BODY}\n\nReporting by Jo Marsh; editing by Ann Lee"
    assert clean_text(text) == (text, [])


def test_repeated_headline_and_line_numbers():
    text = f"Harbour board backs wider channel\n\nHarbour board backs wider channel\n\n{BODY}"
    out, rem = clean_text(text)
    assert out == f"Harbour board backs wider channel\n\n{BODY}"
    assert [(r.rule, r.line_no) for r in rem] == [("repeated_headline", 2)]


def test_line_numbers_count_input_lines_and_crlf_is_tolerated():
    text = f"Home / News / Coast\r\n\r\n{P1}\r\nAdvertisement\r\n{P2}\r\n\r\nShare\r\n3 days ago"
    out, rem = clean_text(text)
    assert [(r.rule, r.text, r.line_no) for r in rem] == [
        ("breadcrumb", "Home / News / Coast", 0),
        ("advertisement", "Advertisement", 3),
        ("share_buttons", "Share", 6),
        ("timestamp_ago", "3 days ago", 7),
    ]
    assert out == f"{P1}\r\n{P2}\r"


# -- title guess --------------------------------------------------------------------


def test_title_from_a_headline_line():
    assert guess_title(f"Harbour board backs wider channel\n\n{BODY}") == ("Harbour board backs wider channel", BODY)


def test_title_printed_twice_counts_once():
    text = f"Harbour board backs wider channel\nHarbour board backs wider channel\n\n{BODY}"
    assert guess_title(text) == ("Harbour board backs wider channel", BODY)


def test_title_after_a_breadcrumb_ending_in_it():
    text = f"Home » Local » Harbour board backs wider channel\n\nHarbour board backs wider channel\n\n{BODY}"
    assert guess_title(text) == ("Harbour board backs wider channel", BODY)


def test_title_skips_dek_and_byline_to_find_the_body():
    text = f"Will the channel silt up again?\n\nby Jo Marsh\n\nA wider channel, a bigger worry\n\n{BODY}"
    assert guess_title(text)[0] == "Will the channel silt up again?"


def test_title_case_headline_ending_in_a_period():
    assert guess_title(f"Harbour Board Backs Wider Channel.\n\n{BODY}")[0] == "Harbour Board Backs Wider Channel."


@pytest.mark.parametrize(
    "first",
    [
        P1,  # the body begins at once
        "The board met on Tuesday.",  # a short sentence, not a headline
        "by Jo Marsh",  # a byline
        "• Dredging starts in spring",  # a list item
        "and the fleet kept its berths",  # continues something
        "Key points:",  # a lead-in
        "Home » Local » Ports",  # a breadcrumb with nothing after it
    ],
)
def test_no_title_when_the_first_line_is_not_a_headline(first):
    text = f"{first}\n\n{BODY}"
    assert guess_title(text) == (None, text)


def test_no_title_without_a_body_after_it():
    text = "Harbour board backs wider channel\nFerry fares to rise\nLighthouse keeper named"
    assert guess_title(text) == (None, text)


# -- the real seeds -----------------------------------------------------------------

# Independent description of the boilerplate in the seeds: which lines a careful
# reader would strike, written as general patterns rather than the seeds' strings.
SEED_CHROME = [
    ("breadcrumb", r"^\w+(?:\s*»\s*[^»]+){2,}$"),
    ("related_links", r"(?i)^you (?:may|might) also like$"),
    ("comment_prompt", r"(?i)^leave a (?:comment|reply)$"),
    ("comment_policy", r"(?i)\bakismet\b|comment data is processed"),
    ("adblock_notice", r"(?i)\bad\s*block"),
    ("image_credit", r"(?i)^image source\b"),
    ("timestamp_ago", r"(?i)^\d+ (?:second|minute|hour|day|week|month|year)s? ago$"),
    ("share_count", r"^\d+$"),
    ("language_picker", r"(?i)^english \(\w+\)\s*·?$"),
    ("promo_link", r"(?i)^(?:explore|discover|read) more\b.*\bour\b"),
]
LEFTOVER = re.compile(
    r"(?i)^(?:home\s*»|you may also like|leave a comment|adblock|image source|\d+|\d+ \w+ ago|english \(\w+\).*"
    r"|advertisement|share this|related:|read more:)$|akismet|disabling your adblocker|in our comprehensive analysis"
)
SEED_IDS = ["000", "001", "002", "003", "004"]


def seed_text(seeds, sid: str) -> str:
    (path,) = seeds.glob(f"{sid}_*.txt")
    return path.read_text(encoding="utf-8")


def expected_removals(lines: list[str]) -> set[tuple[int, str]]:
    want = {(i, rule) for i, line in enumerate(lines) for rule, rx in SEED_CHROME if re.search(rx, line.strip())}
    first = [i for i, line in enumerate(lines) if line.strip()][:2]
    if len(first) == 2 and lines[first[0]].strip() == lines[first[1]].strip():
        want.add((first[1], "repeated_headline"))
    return want


@pytest.mark.parametrize("sid", SEED_IDS)
def test_seed_removes_exactly_the_boilerplate(seeds, sid):
    text = seed_text(seeds, sid)
    lines = text.split("\n")
    out, rem = clean_text(text)
    title, body = guess_title(out)

    want = expected_removals(lines)
    assert want, "every seed carries some boilerplate"
    assert {(r.line_no, r.rule) for r in rem} == want
    assert all(lines[r.line_no] == r.text for r in rem)

    # Everything else is intact, in order: the title line plus the body lines are
    # exactly the original non-blank lines minus the removed ones.
    gone = {r.line_no for r in rem}
    kept = [line for i, line in enumerate(lines) if line.strip() and i not in gone]
    got = ([title] if title else []) + [line for line in body.split("\n") if line.strip()]
    assert got == kept
    n_words = lambda s: len(s.split())  # noqa: E731
    assert n_words(title or "") + n_words(body) == n_words(text) - sum(n_words(r.text) for r in rem)

    assert not [line for line in got if LEFTOVER.search(line.strip())]


@pytest.mark.parametrize(("sid", "headline_at"), [("001", 2), ("002", 0), ("003", 2)])
def test_seed_headline_is_the_title_once(seeds, sid, headline_at):
    lines = seed_text(seeds, sid).split("\n")
    title, body = guess_title(clean_text("\n".join(lines))[0])
    assert title == lines[headline_at].strip()
    assert title not in body
    if sid != "002":  # 001 and 003 open with a breadcrumb whose last segment is the headline
        assert lines[0].rsplit("»", 1)[-1].strip() == title


@pytest.mark.parametrize("sid", ["000", "004"])
def test_seed_without_a_headline_gets_no_title(seeds, sid):
    cleaned = clean_text(seed_text(seeds, sid))[0]
    assert guess_title(cleaned) == (None, cleaned)


def test_seed_template_sections_and_byline_survive(seeds):
    """Content-farm template sections are evidence for a later stage, not chrome."""
    body1 = guess_title(clean_text(seed_text(seeds, "001"))[0])[1]
    for marker in ("Did you know?", "Expert Insight:", "Pro Tip:", "Frequently Asked Questions"):
        assert marker in body1
    assert sum(line.startswith("Q: ") for line in body1.split("\n")) == 4
    assert sum(line.startswith("A: ") for line in body1.split("\n")) == 4
    body2 = guess_title(clean_text(seed_text(seeds, "002"))[0])[1]
    assert "\nCall to Action\n" in body2 and "\nKey Takeaways\n" in body2
    body3 = guess_title(clean_text(seed_text(seeds, "003"))[0])[1]
    assert re.match(r"by [A-Z]\w+ [A-Z]\w+", body3)


# -- precision on real article text --------------------------------------------------


def test_gold_article_bodies_lose_almost_nothing(shared):
    """Human-extracted article bodies: only a stray credit or link prompt may go."""
    gold = json.loads((shared / "bench" / "extraction" / "ground-truth.json").read_text(encoding="utf-8"))
    gone = [r for page in gold.values() for r in clean_text(page["articleBody"])[1]]
    assert len(gone) <= 3
    assert all(re.match(r"(?i)\(?(?:image credit|click here)\b", r.text) for r in gone)


def test_news_corpus_loses_only_chrome(shared):
    """924 real election articles: removals are sign-offs and credits, never prose."""
    paths = sorted((shared / "corpus" / "polnear").glob("*/text/*.txt"))
    assert len(paths) > 900
    gone = [r for p in paths for r in clean_text(p.read_text(encoding="utf-8"))[1]]
    assert gone, "the corpus has some sign-off lines"
    chrome = re.compile(r"(?i)^(?:follow\b.*(?:\btwitter\b|@)|subscribe to\b|read the rest\b)|getty images\.?$")
    assert [r.text for r in gone if not chrome.search(r.text.strip())] == []
