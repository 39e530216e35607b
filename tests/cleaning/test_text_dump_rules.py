"""The text-dump cleaner's rules around the line models: captions printed twice, story lists, embedded
posts, the headings that end an article, and "Related:" links (whole pages in fixtures/cleaning/cases.toml)."""

from __future__ import annotations

from briefings.extract import clean
from briefings.extract_text import TEASER_ENDS, classify, load_rules, with_running_text

from cleaning_captures import raw_from_text

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
