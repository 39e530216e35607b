"""The text-dump cleaner's rules around the line models: captions printed twice, story lists, embedded
posts, the headings and bios that end an article, "Related:" links, and where the headline is looked for
(whole pages in fixtures/cleaning/cases.toml)."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from briefings.dump_lines import (CJK, COMMON_PUNCTUATION, LINK_MARKS, ascii_words, capitalised_share, classify,
                                  digit_count, load_rules, word_count)
from briefings.extract import clean
from briefings.extract_text import (HEADLINE_THRESHOLD, TEASER_ENDS, article_blocks, collapsed_white_space,
                                    context_features, lead_above_related_list, read_capture, twinned_lines,
                                    with_running_text, without_repeats)

from cleaning_captures import FIXTURES, raw_from_text

STORY = ("The river authority opened the second spillway on Friday morning after three days of heavy rain "
         "raised the reservoir to its highest level since the dam was built in 1968.")
MIDDLE = ("Engineers inspected the concrete walls of the old spillway overnight and found no new cracks, the "
          "authority said, although the gates will stay under watch until the rain stops.")
LATER = ("Residents of the lower valley were allowed back into their homes on Monday evening, when the water "
         "level below the dam had fallen by more than a metre since the weekend.")


def body(text: str) -> str:
    return "\n".join(clean(raw_from_text(text)).paragraphs)


def test_an_article_pasted_twice_keeps_one_copy() -> None:
    assert body(f"Dam opens second spillway\n\n{STORY}\n{STORY}\n") == STORY


def test_a_caption_printed_again_with_its_credit_is_dropped() -> None:
    caption = "Water pours through the second spillway of the dam on Friday morning"
    text = f"Dam opens second spillway\n\n{STORY}\n{caption}\n{caption}Photo: River Authority\n{MIDDLE}\n{LATER}\n"
    assert caption not in body(text)
    assert LATER in body(text)


# Lines that print nothing: zero-width characters, a soft hyphen, icon-font glyphs (private use), direction
# embeddings.
@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff\u200d \u200b", "\u00ad", "\ue900 \uf101", "\u202a\u202c"])
def test_a_line_of_invisible_characters_is_a_blank_line(invisible: str) -> None:
    plain = f"Dam opens second spillway\n\n{STORY}\n\n{MIDDLE}\n\n{LATER}\n"
    padded = plain.replace("\n\n", f"\n{invisible}\n")
    capture = read_capture(padded, load_rules())
    assert capture is not None and [line.text for line in capture.lines] == [STORY, MIDDLE, LATER]
    assert all(line.gap_before for line in capture.lines)
    assert body(padded) == body(plain)


def test_a_title_loses_its_soft_hyphens() -> None:
    text = f"Dam opens second spill\u00adway | World | river-news.example.com\n\n{STORY}\n{MIDDLE}\n"
    assert clean(raw_from_text(text)).title == "Dam opens second spillway"


def test_a_short_sentence_starting_with_about_does_not_end_the_article() -> None:
    text = f"Dam opens second spillway\n\n{STORY}\n{MIDDLE}\nAbout 200 people were evacuated\n{LATER}\n"
    assert LATER in body(text)


def test_cjk_teasers_cut_off_with_two_dots_end_like_an_ellipsis() -> None:
    assert "이정재 앞에..".endswith(TEASER_ENDS) and "went on…".endswith(TEASER_ENDS)
    assert not "The gates stay shut.".endswith(TEASER_ENDS)


def test_inline_related_links_and_credited_captions_are_stock_lines() -> None:
    rules = load_rules()
    for line in ("Related: Town votes for a library levy", "Also: See our coverage of the floods",
                 "In this photo issued by the council, the gates open.",
                 "Volunteers fill sandbags on Thursday. (Photo: River Authority)",
                 "Jane Doe may be reached at jdoe@example.com. Follow her on Twitter."):
        assert rules.is_stock_line(line), line
    for line in (STORY, "Related reporting came from the valley's two radio stations, which stayed on air.",
                 "He said the photo was taken on Friday."):
        assert not rules.is_stock_line(line), line


def test_an_about_heading_ends_the_article_only_over_a_bio() -> None:
    bio = "Mara Lind has reported on rivers and water for the paper since 2015, from the valley office."
    with_bio = body(f"Dam opens second spillway\n\n{STORY}\n{MIDDLE}\n{LATER}\nAbout Mara Lind\n{bio}\n")
    assert LATER in with_bio and bio not in with_bio
    section = ("Hydrologists measured the flow below the dam every hour for three days and compared it with the "
               "records of the floods in 1994 and 2007, when the old spillway was the only one.\n"
               "They found that the second spillway halved the time the reservoir needed to fall by a metre, "
               "and that the water downstream rose more slowly than it had in either of the earlier floods.\n"
               "The survey will be repeated in the spring, when the snow in the hills above the valley melts "
               "and the reservoir fills again, to see how the two spillways share a longer flood.\n"
               "Its results will go to the valley's councils before the summer, together with a map of the "
               "streets that flooded in each of the three years and the depth the water reached in them.")
    study = body(f"Dam opens second spillway\n\n{STORY}\n{MIDDLE}\nAbout the study\n{section}\n")
    assert "The survey will be repeated in the spring" in study


def test_paragraphs_between_adverts_and_a_one_sentence_paragraph_continue_the_article() -> None:
    rules = load_rules()
    sentence = "Most significantly, the old gates held through the night."
    texts = [STORY, "Advertisement", sentence, "Advertisement", MIDDLE, LATER, "Advertisement",
             "Sign up for the valley newsletter and never miss a story again."]
    lines = [classify(text, rules) for text in texts]
    kept = [line.text for line in with_running_text(lines, [lines[5]])]
    assert kept == [STORY, sentence, MIDDLE, LATER]


def test_an_author_bio_ends_the_article_and_what_follows_it() -> None:
    bio = "Mara Lind is a staff reporter for the Valley Courier, covering rivers and water."
    pitch = ("Every Friday we send the week's best stories from the valley to your inbox, with the letters our "
             "readers sent us about them.")
    text = f"Dam opens second spillway\n\n{STORY}\n{MIDDLE}\n{LATER}\n{bio}\n{pitch}\n"
    kept = body(text)
    assert LATER in kept and bio not in kept and pitch not in kept


def test_a_story_about_a_reporter_goes_on_below_a_sentence_like_a_bio() -> None:
    reporter = ("Evan Mirov is a reporter for the Valley Courier who was detained at the border crossing on "
                "Tuesday while covering the flood relief convoy, his editor said.")
    more = [f"{sentence} The editor said the paper had not been told where he was held." for sentence in
            ("Lawyers for the paper asked the border police for access to him on Wednesday morning.",
             "The foreign ministry summoned the ambassador on Thursday and demanded his release.",
             "Colleagues held a vigil outside the newspaper's office in the old town on Friday evening.",
             "Two press freedom groups wrote to the interior minister asking for an explanation of the arrest.",
             "The convoy he was travelling with reached the flooded villages on Saturday without him.")]
    kept = body("Courier reporter detained at border\n\n" + "\n".join([STORY, MIDDLE, reporter, *more, LATER]) + "\n")
    assert reporter in kept and all(paragraph in kept for paragraph in more) and LATER in kept


def test_a_bio_under_the_headline_does_not_end_the_article() -> None:
    bio = "Mara Lind is a staff reporter for the Valley Courier."
    kept = body(f"Dam opens second spillway\n{bio}\n\n{STORY}\n{MIDDLE}\n{LATER}\n")
    assert STORY in kept and LATER in kept


def test_a_sources_heading_ends_the_article() -> None:
    sources = ("Sources:\nRiver Authority, \"Reservoir levels, March 2024,\" March 2024\n"
               "Email interview with the authority's press office, March 4, 2024\n")
    kept = body(f"Dam opens second spillway\n\n{STORY}\n{MIDDLE}\n{LATER}\n{sources}")
    assert LATER in kept and "Sources" not in kept and "Email interview" not in kept


def test_share_buttons_chosen_beside_related_posts_leave_the_lead_paragraph() -> None:
    rules = load_rules()
    lead = ("Living well is a slow art: it asks for patience with ourselves, time with the people we love, and "
            "the courage to leave behind what no longer helps us grow.")
    others = ("Hope is the habit of expecting good things and working so that they happen, one small step at a "
              "time, every single day of the year.",
              "Friendship is the family we choose, and like any family it needs care, honesty and time spent "
              "together to stay strong through the years.")
    texts = ["Living well", "Home » Reflections » Living well", "Whatsapp Facebook Pinterest Download", lead,
             "Reflections, Messages about life", "You may also like...",
             "Whatsapp Facebook Pinterest Download", others[0], "Whatsapp Facebook Pinterest Download", others[1]]
    lines = [classify(text, rules) for text in texts]
    chosen = [line.text for line in lead_above_related_list(lines, "Living well", lines[6:])]
    assert chosen == [lead]


@pytest.mark.parametrize("name", ["ferry-winter-dump.txt", "bridge-toll-fact-check-dump.txt",
                                  "harbour-strike-dump.txt"])
def test_headline_and_first_line_do_not_depend_on_the_body_threshold(name: str) -> None:
    rules = load_rules()
    assert rules.context_model is not None
    capture = read_capture((FIXTURES / name).read_text(encoding="utf-8"), rules)
    assert capture is not None
    shipped = article_blocks(capture, rules)
    looser = article_blocks(capture, replace(rules, context_model=replace(rules.context_model,
                                                                           threshold=HEADLINE_THRESHOLD)))
    assert (shipped.title, shipped.start) == (looser.title, looser.start)


# The headline as printed: plain, or with a zero-width space that the title loses.
@pytest.mark.parametrize("printed", ["Keldon dam opens second spillway as reservoir hits record level",
                                     "Keldon dam opens second\u200b spillway as reservoir hits record level"])
def test_the_date_under_the_headline_wins_over_a_box_dated_nearer_the_article(printed: str) -> None:
    headline = "Keldon dam opens second spillway as reservoir hits record level"
    page = "\n".join(["• Home", "• News", "• Weather", printed, "By Anna Berg", "November 18, 2019",
                      "Share", "Most read", "Flood barriers tested on the coast", "October 2, 2018",
                      STORY, MIDDLE, LATER, "© 2019 Valley Herald"])
    document = clean(raw_from_text(page))
    assert document.title == headline
    assert (document.date_source, document.published.date().isoformat()) == ("capture", "2019-11-18")


def test_the_title_printed_again_in_full_width_digits_is_dropped() -> None:
    kept = body("Harbour strike ends after 12 days | News | example.com\nHarbour strike ends after １２ days\n"
                f"{STORY}\n{MIDDLE}\n{LATER}\n")
    assert kept == "\n".join([STORY, MIDDLE, LATER])


@pytest.mark.parametrize("text", ["Rates rose 0.25% to 5_000 (see: table) -- #1 [AP]", "Tab\tbell\x07 and ~tilde~",
                                  "Ｆull-width ①, İstanbul and Straße – ça va"])
def test_a_lines_words_are_its_runs_of_word_characters(text: str) -> None:
    assert classify(text, load_rules()).tokens == tuple(re.findall(r"\w+", text.casefold()))


def test_bylines_and_bare_numbers_inside_the_article_are_dropped() -> None:
    byline = "By Mara Lind | November 18, 2019 at 2:26 PM - Updated November 18 at 4:46 PM"
    sentence = "By the end of 2019, the authority had spent more on the dam than in the ten years before it."
    kept = body(f"Dam opens second spillway\n\n{byline}\n{STORY}\n{MIDDLE}\n{sentence}\n{LATER}\n76\n")
    assert byline not in kept and "76" not in kept.split("\n")
    assert STORY in kept and sentence in kept and LATER in kept


def test_a_company_profile_ends_a_press_release() -> None:
    profile = ("Keldon Hydro is a leading European provider of dam control systems. The company is "
               "headquartered in Oslo and employs around 1,300 people worldwide.")
    listed = "Keldon Hydro shares are listed on the Oslo stock exchange (KHYD)."
    kept = body(f"Keldon Hydro wins spillway contract\n\n{STORY}\n{MIDDLE}\n{LATER}\n{profile}\n{listed}\n")
    assert LATER in kept and profile not in kept and listed not in kept


def test_a_company_described_in_a_story_does_not_end_it() -> None:
    profile = ("Keldon Hydro is a small Norwegian maker of dam control systems that won the spillway contract "
               "in 2016, after the old gates failed an inspection.")
    more = ("Inspectors from the river authority will visit the company's workshop in Oslo next month to "
            "review how the gates were tested before they were delivered to the dam in 2017.",
            "The company said in a statement that it welcomed the inspection and that its systems had passed "
            "every test required by the authority since they were installed, including last winter's.",
            "Engineers who worked on the original design said the failure of one gate motor on Friday was "
            "unrelated to the control system and blamed water that had reached the motor housing.")
    kept = body("Keldon Hydro under scrutiny\n\n" + "\n".join([STORY, MIDDLE, profile, LATER, *more]) + "\n")
    assert profile in kept and all(paragraph in kept for paragraph in more)


def test_a_list_of_headlines_set_inside_the_article_is_dropped_with_its_heading() -> None:
    headlines = ["• Town votes for a library levy after a year of debate over the old mill building",
                 "• Ferry service to the islands resumes on Monday after the winter storms ended",
                 "• Valley school wins national robotics prize for a flood-warning drone project"]
    for heading in ("More from the Valley", "Trending Now"):
        page = "\n".join(["Dam opens second spillway", "", STORY, MIDDLE, heading, *headlines, LATER,
                          "© 2019 Valley Herald"])
        kept = body(page)
        assert STORY in kept and LATER in kept, heading
        assert not any(headline.lstrip("• ") in kept for headline in headlines), heading




def test_a_long_lead_without_a_full_stop_right_above_the_article_is_kept() -> None:
    rules = load_rules()
    lead = ("The river authority has this morning opened the second spillway of the Keldon dam for the first time "
            "since it was built in 1968")
    texts = ["Dam opens second spillway", "Valley Herald, November 18, 2019", lead, MIDDLE, LATER, "Share"]
    lines = [classify(text, rules) for text in texts]
    assert [line.text for line in with_running_text(lines, lines[3:5])] == [lead, MIDDLE, LATER]


def test_a_paragraph_taken_without_its_full_stop_does_not_carry_the_article_further() -> None:
    rules = load_rules()
    caption = ("This illustration of the authority's plan shows how the second spillway could carry the water "
               "away from the town if the rain goes on")
    standfirst = ("The valley's dam has held back the river for fifty years, but the engineers who built it say they "
                  "are no longer so sure it will hold another winter.")
    texts = ["Dam opens second spillway", standfirst, "By Mara Lind", caption, MIDDLE, LATER]
    lines = [classify(text, rules) for text in texts]
    assert [line.text for line in with_running_text(lines, lines[4:])] == [caption, MIDDLE, LATER]


# Lines many sites print around an article (appeals for money, wire credits, credited captions, sign-offs and
# sign-up boxes), each beside a sentence an article may hold that the same words must not catch.
STOCK_AND_PROSE = [
    (True, "Support independent journalism"), (True, "Make a contribution"), (True, "Donate"),
    (True, "Do you rely on our reporting? Click here to support it."),
    (True, "The Herald relies on advertising to support our journalism. Please disable your ad blocker."),
    (False, "Readers who support independent journalism gave more in 2019 than ever before, the trust said."),
    (False, "He donated $5 million to the flood relief fund in March."),
    (True, "Reporting by Mara Lind; additional reporting by Jo Roe; Editing by Sam Vik"),
    (True, "(Writing by Mara Lind)"),
    (True, "Water pours through the second spillway of the dam, November 19, 2019. © Reuters / Jo Roe"),
    (False, "Reporting by the Valley Courier showed that the gates had not been tested since 2015."),
    (True, "Mara Lind's book about rivers is out now. Follow her on Twitter @maralind."),
    (True, "No spam, we promise. You can unsubscribe at any time and we'll never share your details."),
    (True, "Need more rivers? Subscribe to our sister title \"Valley Life\" Magazine for the latest news!"),
    (False, "More than a million people follow him on Twitter, where he posts the reservoir's level daily."),
]


@pytest.mark.parametrize("stock, text", STOCK_AND_PROSE)
def test_stock_lines_around_articles_and_sentences_that_share_their_words(stock: bool, text: str) -> None:
    assert load_rules().is_stock_line(text) is stock


# Shortcuts the line classifier and the line models' features take for speed, each checked against the plain
# computation it stands in for, on the inputs where a careless version would differ.

def test_common_punctuation_splits_words_like_any_other_non_word_character() -> None:
    for mark in COMMON_PUNCTUATION:
        assert not re.match(r"\w", mark) and mark.casefold() == mark and not CJK.match(mark), mark


@pytest.mark.parametrize("text", ["“It’s open,” she said — at last…", "Bullets • and ☆ stars, «quotes» → here",
                                  "İstanbul’s dam – ça va", "ǅemal’s ſpillway “K”", "The 1st–2nd gates’ _id_"])
def test_a_line_with_curly_quotes_and_dashes_counts_words_as_the_patterns_do(text: str) -> None:
    line = classify(text, load_rules())
    assert line.tokens == tuple(re.findall(r"\w+", text.casefold()))
    assert line.words == word_count(text)


def test_ascii_words_are_the_casefolded_runs_of_word_characters_of_every_ascii_character() -> None:
    every = "".join(map(chr, range(128))) + " The_Dam 1968 x\x1cy\x1fz"
    assert ascii_words(every) == re.findall(r"\w+", every.casefold())


@pytest.mark.parametrize("text", ["A dam Opens", "A\tdam\x1cOpens\x1f  x ", " Élan vital Über", "ǅemal Ⅻ saw",
                                  "x\u2028Y\u3000z", "one"])
def test_the_capitalised_share_counts_words_as_str_split_cuts_them(text: str) -> None:
    words = text.split()
    assert capitalised_share(text) == sum(word[0].isupper() for word in words) / len(words)


@pytest.mark.parametrize("text", ["Rates rose 0.25% in 2019", "٣ full-width １２ and ² are no ASCII digits",
                                  "a lone surrogate \udc80 9", "none"])
def test_digit_count_counts_only_the_ascii_digits(text: str) -> None:
    assert digit_count(text) == sum(map(text.count, "0123456789"))


@pytest.mark.parametrize("text", ["Read more at www.example.com", "Home » News › Rivers", "@maralind", "A | B",
                                  "The gates stay shut until the rain stops.", "• Photo: Jo Roe/Reuters"])
def test_one_scan_finds_the_link_and_caption_marks_of_a_line(text: str) -> None:
    rules = load_rules()
    line = classify(text, rules)
    assert line.link == any(mark in line.folded for mark in LINK_MARKS)
    assert line.caption == any(mark in line.folded for mark in rules.caption_marks)


def test_a_stock_phrase_key_counts_only_after_the_lines_bullet(tmp_path: Path) -> None:
    # A key starting with a bullet character is found in "* sponsored ...", but only inside its bullet.
    rules_file = tmp_path / "boilerplate.toml"
    rules_file.write_text('[text]\ndrop_lines = ["^$"]\nblock_openers = ["^$"]\n'
                          '[text.drop_phrases]\n"* spons" = ["sponsored"]\n', encoding="utf-8")
    rules = load_rules(rules_file)
    assert not classify("* sponsored content", rules).stock
    assert classify("Read this * sponsored content", rules).stock
    assert rules.is_stock_line("* sponsored content") is False


def test_a_line_printed_twice_over_is_a_twin_and_an_odd_length_line_is_not() -> None:
    caption = "Water pours through the second spillway of the dam"
    lines = [classify(text, load_rules()) for text in (caption + caption, caption + " " + caption, STORY)]
    assert twinned_lines(lines) == frozenset({caption + caption})


def test_every_white_space_character_but_the_space_is_unprintable() -> None:
    # collapsed_white_space returns a printable line as it is when it holds no two spaces in a row and none at
    # either end: that is only right while no other white space character counts as printable.
    assert [char for char in map(chr, range(sys.maxunicode + 1))
            if char.isspace() and char.isprintable() and char != " "] == []


@pytest.mark.parametrize("part", ["", " ", "Dam opens", " Dam opens", "Dam opens ", "Dam  opens", "Dam\topens",
                                  "Dam\u00a0opens", "Dam\u3000opens", "\u200bDam opens", "Dam opens\x1f"])
def test_a_line_has_its_white_space_collapsed_as_split_and_join_would(part: str) -> None:
    assert collapsed_white_space(part) == " ".join(part.split())


@pytest.mark.parametrize("text", ["“Dam” Opens — again", "‘quoted’ Words…", "— The dam", "«Dam» → Spillway ★",
                                  "“Élan” Über", "a\u00a0Dam “opens”"])
def test_the_capitalised_share_reads_curly_quotes_and_dashes_as_lower_case_word_characters(text: str) -> None:
    words = text.split()
    assert capitalised_share(text) == sum(word[0].isupper() for word in words) / len(words)
    assert not any(char.isspace() or char.isupper() for char in COMMON_PUNCTUATION)


def _repeats_dropped_naively(items: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    kept, seen = [], set()
    for words in items:
        runs = set(zip(words, words[1:], words[2:], words[3:]))
        if len(runs) >= 5 and len(runs & seen) >= 0.8 * len(runs):
            continue
        seen |= runs
        kept.append(words)
    return kept


def test_a_line_sharing_a_few_runs_with_those_above_is_kept_and_one_sharing_most_is_dropped() -> None:
    story, other = tuple(STORY.lower().split()), tuple(MIDDLE.lower().split())
    items = [story, story[:4] + other, story[2:12], story[:10] + story[:10], other, other[:3], ("a", "b") * 6]
    assert without_repeats(items, lambda words: words) == _repeats_dropped_naively(items)
    # One run shared keeps a line; a line whose runs all stand above goes, but one that repeats its own runs
    # counts each once (70% shared), as do lines of fewer than five distinct runs.
    assert without_repeats(items, lambda words: words) == [story, story[:4] + other, story[:10] + story[:10],
                                                           other[:3], ("a", "b") * 6]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 7])
def test_the_context_features_read_no_line_past_the_ends_of_the_page(count: int) -> None:
    probabilities = [(index * 7 % 10) / 10 + 0.05 for index in range(count)]
    for index, row in enumerate(context_features(probabilities)):
        above, below = probabilities[max(0, index - 3):index], probabilities[index + 1:index + 4]
        assert row[2:4] == (probabilities[index - 1] if index else 0.0,
                            probabilities[index + 1] if index + 1 < count else 0.0)
        assert row[7:10] == (max(above, default=0.0), max(below, default=0.0),
                             min(max(above, default=0.0), max(below, default=0.0)))
