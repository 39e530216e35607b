"""Regenerate tests/fixtures/hostile/ (inbox/ and manifest.json) from the cases written here.

    .venv/bin/python tests/safety/make_hostile_fixtures.py

The fixtures are this project's own small hostile captures, in the format of the shared bad-input corpus
(../shared/corpus/bad-input/README.md), so `scripts/bench/bad_input.py --corpus tests/fixtures/hostile` and
the tests in tests/safety/ run without ../shared. Encoded and binary captures are written from here, so
this file is the one to edit; review the regenerated files like code.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "fixtures" / "hostile"


def page(title: str, body: str, head: str = "", charset: str = '<meta charset="utf-8">') -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n{charset}\n<title>{title}</title>\n{head}</head>\n"
            f"<body>\n<header><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> "
            f"<a href=\"/sport\">Sport</a></nav></header>\n<main><article>\n{body}\n</article></main>\n"
            f"<footer><p>Contact us. Privacy policy. Terms of use.</p></footer>\n</body>\n</html>\n")


XSS_SCRIPT = page(
    "Council delays vote on school meals | Riverside Gazette",
    """<h1>Council delays vote on school meals</h1>
<p class="byline">By Mara Quill, 3 March 2025</p>
<p>The borough council postponed its vote on free school meals until next month, citing gaps in the cost estimate.<script>alert('HS-xss-script')</script></p>
<p onclick="alert('HS-xss-script')" onmouseover="alert('HS-xss-script')">Councillors asked officers to publish a revised budget before the next session of the full council.</p>
<p>Parents gathered outside the town hall <img src="x" onerror="alert('HS-xss-script')"> and handed in a petition with four thousand signatures.</p>
<p>The finance committee said the <a href="javascript:alert('HS-xss-script')">full cost table</a> and the <a href="JaVaScRiPt&colon;alert('HS-xss-script')">annex</a> and the <a href=" &#14;java&#x09;script:alert('HS-xss-script')">minutes</a> would be released on Friday, alongside the <a href="https://example.org/report">public report</a>.</p>
<iframe srcdoc="&lt;script&gt;alert('HS-xss-script')&lt;/script&gt;"></iframe>
<svg onload="alert('HS-xss-script')"><a xlink:href="javascript:alert('HS-xss-script')"><text>map</text></a></svg>
<math><mi xlink:href="javascript:alert('HS-xss-script')">x</mi></math>
<p style="background:url(javascript:alert('HS-xss-script'))">A final decision is now expected in early spring, the council leader told reporters after the meeting.</p>
<form action="javascript:alert('HS-xss-script')"><button formaction="javascript:alert('HS-xss-script')">Vote</button></form>
<object data="javascript:alert('HS-xss-script')"></object><embed src="data:text/html,&lt;script&gt;alert('HS-xss-script')&lt;/script&gt;">
<p>Written out as text, &lt;script&gt;alert('HS-xss-text')&lt;/script&gt; is how the attack looked in the forum post that started the row.</p>
<script>var token = 'HS-script-body-token';</script>
<p id="main-nav"><a name="top" id="search">Officers</a> will brief the scrutiny committee on the revised figures next Tuesday.</p>""",
    head="<script>alert('HS-xss-script')</script><base href=\"javascript:alert('HS-xss-script')//\">"
         "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('HS-xss-script')\">",
)

MXSS = page(
    "Museum extends opening hours for summer",
    """<h1>Museum extends opening hours for summer</h1>
<p>The city museum will stay open until eight in the evening from June to September, its director announced.</p>
<noscript><p title="</noscript><img src=x onerror=alert('HS-mxss')>">The late opening is funded by a regional grant.</p></noscript>
<p>Visitors will also be able to book guided tours of the new textile gallery during the extra hours.</p>
<svg><style><img src=x onerror=alert('HS-mxss')></style></svg>
<math><mtext><table><mglyph><style><img src=x onerror=alert('HS-mxss')></style></mglyph></table></mtext></math>
<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert('HS-mxss')></style></mglyph></form></math>
<p>The museum expects about thirty thousand extra visitors over the summer months.</p>""",
)

MD_LINKS = """# Night trams return to the western line

The transport authority said night trams will run again on the western line from the first weekend of May.

Timetables are in the [printed leaflet](javascript:alert('HS-md-links')) and the [online page](https://example.org/timetable "Times\\" onmouseover=\\"alert('HS-md-links')").

<script>alert('HS-md-links')</script>

<img src=x onerror="alert('HS-md-links')">

Drivers' representatives welcomed the change after a long dispute over late shifts.
{: onclick="alert('HS-md-links')" id="content" }

<div markdown="1" onclick="alert('HS-md-links')">Night services will be reviewed after six months.</div>

[map]: vbscript:msgbox('HS-md-links')

See the [route map][map], ![a diagram](data:text/html;base64,PHNjcmlwdD5hbGVydCgnSFMtbWQtbGlua3MnKTwvc2NyaXB0Pg==) or <javascript:alert('HS-md-links')> for details.
"""

MARKUP_TEXT = """Tools & Trades: the <b>bold</b> plan for AT&T's "fibre" rollout | Technology | wire.example.net

Tools & Trades: the <b>bold</b> plan for AT&T's "fibre" rollout

Telecom engineers said on Monday that the rollout of fibre to rural villages would finish a year earlier than planned.

In the engineers' newsletter, &amp; stands for an ampersand, and <i>italic</i> is written with tags.

A reader wrote <img src=x onerror=alert('HS-text-markup')> in the comments below the announcement, and the site showed it as text.

Template fans tried {{constructor.constructor('alert(1)')()}} and ${alert('HS-text-markup')} in the same thread, with no effect.

The company said the remaining forty villages would be connected before the end of the year.
"""

CP1251 = page(
    "Харків: ремонт трамвайних колій завершать у червні",
    """<h1>Харків: ремонт трамвайних колій завершать у червні</h1>
<p>Харківська міська рада затвердила графік ремонту трамвайних колій на центральних вулицях міста.</p>
<p>Роботи охоплять шість кварталів, а рух трамваїв буде частково обмежено протягом двох місяців.</p>
<p>Підрядники обіцяють завершити все до кінця червня, повідомили в раді. Жителі отримають щотижневі звіти про хід робіт.</p>
<p>Ґрунтовний огляд мосту через річку Лопань також запланований на це літо, додали в департаменті транспорту.</p>""",
    charset="",
).encode("cp1251")

KOI8 = page(
    "Самара: мост через Волгу закроют на ремонт",
    """<h1>Самара: мост через Волгу закроют на ремонт</h1>
<p>Мэрия Самары объявила, что мост через Волгу закроют на два месяца для капитального ремонта.</p>
<p>Объезд организуют по соседним улицам, а общественный транспорт изменит маршруты на время работ.</p>
<p>Ещё в прошлом году инженеры отметили износ опор. Съёмки с дронов подтвердили необходимость срочного ремонта.</p>
<p>Жители прибрежных кварталов получат пропуска для проезда через служебный въезд.</p>""",
    charset='<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
).encode("koi8-r")

UTF16 = b"\xff\xfe" + page(
    "Gdańsk shipyard reopens its largest dry dock",
    """<h1>Gdańsk shipyard reopens its largest dry dock</h1>
<p>The Gdańsk shipyard reopened its largest dry dock on Tuesday after a two-year refit paid for by the port.</p>
<p>Stocznia Gdańska said the dock can now take ships of up to three hundred metres, twice the former limit.</p>
<p>Workers from Łódź and Kraków joined the crews in the final months of the project.</p>""",
).encode("utf-16-le")

FRONT_MATTER = """---
title: Injected front matter headline
status: draft
date: 1999-01-01
save_as: pwned-front.html
template: evil
lang: xx
---
Status: hidden
Save_as: pwned-second.html

# Harbour bridge opens to cyclists

The harbour bridge opened a protected cycle lane on Saturday after three years of planning and two public consultations.

City engineers said the lane would be the first route cleared of snow in winter, ahead of the main roads.

Cycling groups called the lane a good start and asked for a second crossing further upstream.
"""

NEWLINE_TITLE = page(
    "Library extends weekend hours\nStatus: hidden\nSave_as: pwned-title.html\nDate: 1999-01-01",
    """<h1>Library extends weekend hours</h1>
<p>The central library will open on Sundays from next month, the culture department announced on Wednesday.</p>
<p>The extra hours are paid for by savings on the building's heating after a new roof was fitted last year.</p>
<p>Staff will work the Sunday shifts on a voluntary rota agreed with the union.</p>""",
    head='<meta property="og:title" content="Library extends weekend hours&#10;Template: evil&#13;Slug: injected-slug">\n'
         '<meta name="description" content="Weekend hours&#10;Status: draft">\n',
)

CONSENT_ONLY = page(
    "Your privacy choices",
    """<div class="consent"><h2>We value your privacy</h2>
<p>We use cookies to improve your experience. <button>Accept all</button> <button>Manage settings</button></p></div>
<div class="paywall"><p>Subscribe to continue reading.</p></div>""",
)

FERRY = page(
    "Ferry timetable changes for the winter season",
    """<h1>Ferry timetable changes for the winter season</h1>
<p>The island ferry will sail four times a day instead of six from November, the operator said on Thursday.</p>
<p>The last crossing of the day moves from ten to eight in the evening to save fuel during the quiet months.</p>
<p>Islanders asked for an extra Friday crossing, which the operator promised to consider in the spring.</p>""",
)


TUNNEL = page(
    "Tunnel works ]]&gt; end early",
    """<h1>Tunnel works ]]&gt; end early</h1>
<p>Repairs to the river tunnel finished a week early, and both lanes reopened to traffic on Friday morning.</p>
<p>The contractor wrote &lt;/content&gt;&lt;/entry&gt;&lt;entry&gt;&lt;title&gt;Injected entry&lt;/title&gt; in its final report by mistake, the city said.</p>
<p>Night closures for cleaning will continue once a month, starting in the autumn.</p>""",
)


def article(title: str, sentence: str) -> str:
    return page(title, f"<h1>{title}</h1>\n<p>{sentence}</p>\n<p>Officials said more details would follow "
                       "next week once the council has reviewed the plans and published the costs.</p>\n"
                       "<p>Residents can send comments to the council by the end of the month.</p>")


NESTED_HEAD = article("Coastal ferry pier reopens after storm repairs",
                      "A section of the coastal ferry pier reopened on Monday after storm repairs.").split(
    "</article>")[0]


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def stored(case_id: str, family: str, file: str, data: bytes | str, expect: str, why: str,
           **extra: Any) -> dict[str, Any]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return {"id": case_id, "family": family, "file": file, "stored": True, "data": raw, "expect": expect,
            "why": why, **extra}


def generated(case_id: str, family: str, file: str, parts: list[dict[str, Any]], expect: str, why: str,
              **extra: Any) -> dict[str, Any]:
    return {"id": case_id, "family": family, "file": file, "stored": False, "parts": parts, "expect": expect,
            "why": why, **extra}


CASES = [
    stored("hs-xss-01", "xss-body", "council-meals.html", XSS_SCRIPT, "ingest",
           "scripts, handlers, javascript:/data: URLs, iframe srcdoc, svg/math, form, style; escaped markup text",
           title_contains="Council delays vote on school meals", marker="HS-xss-script",
           text_contains=["postponed its vote on free school meals", "publish a revised budget",
                          "handed in a petition with four thousand signatures", "full cost table",
                          "<script>alert('HS-xss-text')</script>"],
           checks={"no_clobber_ids": True, "no_text_anywhere": ["HS-script-body-token"]}),
    stored("hs-mxss-01", "mxss", "museum-hours.html", MXSS, "ingest",
           "noscript/svg/math namespace confusion that re-parses into a live handler",
           title_contains="Museum extends opening hours", marker="HS-mxss",
           text_contains=["stay open until eight in the evening", "book guided tours of the new textile gallery"]),
    stored("hs-md-01", "md", "night-trams.md", MD_LINKS, "ingest",
           "unsafe Markdown links, raw HTML, attribute lists, reference definitions, data: images, autolinks",
           title_contains="Night trams return to the western line", marker="HS-md-links",
           text_contains=["night trams will run again on the western line",
                          "Drivers' representatives welcomed the change"]),
    stored("hs-text-01", "search", "fibre-rollout.txt", MARKUP_TEXT, "ingest",
           "plain text that looks like HTML, entities and client-side templates must stay text everywhere",
           title_contains="the <b>bold</b> plan for AT&T", marker="HS-text-markup",
           text_contains=["rollout of fibre to rural villages", "&amp; stands for an ampersand",
                          "<img src=x onerror=alert('HS-text-markup')>", "${alert('HS-text-markup')}"],
           text_absent=["&amp;amp;"]),
    stored("hs-enc-01", "encoding", "kharkiv-tracks.html", CP1251, "ingest",
           "Ukrainian in windows-1251 with no declaration",
           title_contains="ремонт трамвайних колій", text_contains=["Харківська міська рада", "щотижневі звіти",
                                                                   "Ґрунтовний огляд"]),
    stored("hs-enc-02", "encoding", "samara-bridge.html", KOI8, "ingest", "Russian in KOI8-R, http-equiv",
           title_contains="мост через Волгу", text_contains=["Мэрия Самары", "Ещё в прошлом году",
                                                             "Съёмки с дронов"]),
    stored("hs-enc-03", "encoding", "gdansk-dock.html", UTF16, "ingest",
           "UTF-16LE with BOM and a contradicting meta charset", title_contains="Gdańsk shipyard reopens",
           text_contains=["two-year refit", "Stocznia Gdańska", "Łódź and Kraków"]),
    stored("hs-meta-01", "metadata-injection", "harbour-bridge.md", FRONT_MATTER, "ingest",
           "YAML front matter and Key: value lines at the top of a pasted Markdown file",
           text_contains=["opened a protected cycle lane on Saturday"],
           checks={"published": True, "date_not": ["1999-01-01"],
                   "no_output_named": ["pwned-front.html", "pwned-second.html"]}),
    stored("hs-meta-02", "metadata-injection", "library-weekends.html", NEWLINE_TITLE, "ingest",
           "line breaks in <title>, og:title and description smuggling metadata lines",
           title_contains="Library extends weekend hours", text_contains=["open on Sundays from next month"],
           checks={"published": True, "date_not": ["1999-01-01"], "title_single_line": True,
                   "no_output_named": ["pwned-title.html", "injected-slug.html"]}),
    stored("hs-junk-01", "empty-junk", "empty.html", b"", "reject", "zero bytes", reject_reason="empty"),
    stored("hs-junk-02", "empty-junk", "privacy-choices.html", CONSENT_ONLY, "reject",
           "a consent wall and a paywall notice, no article", reject_reason="no-article-text"),
    stored("hs-bin-01", "binary", "picture.html", png_bytes(), "reject", "a PNG saved as .html",
           reject_reason="binary"),
    stored("hs-dup-01a", "duplicate", "ferry-timetable.html", FERRY, "ingest", "the story",
           duplicate_group="hs-dup-01", title_contains="Ferry timetable changes",
           text_contains=["sail four times a day instead of six"]),
    stored("hs-dup-01b", "duplicate", "ferry-timetable (1).html", FERRY, "reject", "a second download",
           reject_reason="duplicate", duplicate_of="hs-dup-01a", duplicate_group="hs-dup-01"),
    generated("hs-mal-01", "malformed", "coastal-pier.html",
              [{"text": NESTED_HEAD}, {"repeat": "<div>", "count": 20000}, {"text": "<p>end</p>"},
               {"repeat": "</div>", "count": 20000}, {"text": "</article></main></body></html>\n"}],
              "ingest", "20,000 nested elements after the article", also_acceptable=["reject"],
              title_contains="Coastal ferry pier reopens", text_contains=["coastal ferry pier reopened on Monday"],
              checks={"time_limit_s": 60}),
    generated("hs-fn-01", "filename", ".  hidden  story .html",
              [{"text": article("Tram stop moves to the market square",
                                "The tram stop on Mill Lane moves to the market square in April.")}],
              "ingest", "leading dot and runs of spaces", title_contains="Tram stop moves to the market square",
              text_contains=["moves to the market square in April"]),
    generated("hs-fn-02", "filename", "..\\up\\LPT1.html",
              [{"text": article("NUL", "The NUL arts collective opened a gallery in the old post office.")}],
              "ingest", "backslash segments, a device name, and a title whose slug is a device name",
              title_contains="NUL", text_contains=["opened a gallery in the old post office"],
              checks={"slug_nonempty": True}),
    generated("hs-fn-03", "filename", "bidi\u202eevil\u0007name.html",
              [{"text": article("Bakery wins regional bread prize",
                                "A family bakery in the old town won the regional bread prize on Sunday.")}],
              "ingest", "bidi override and a control character in the name: messages must show them escaped",
              title_contains="Bakery wins regional bread prize", text_contains=["won the regional bread prize"]),
    stored("hs-feed-01", "feed", "tunnel-works.html", TUNNEL, "ingest",
           "CDATA terminator in the title and closing feed tags in the text: one entry per briefing, text kept",
           title_contains="Tunnel works ]]> end early",
           text_contains=["both lanes reopened to traffic on Friday morning",
                          "</content></entry><entry><title>Injected entry</title>"],
           checks={"feed_entries_match_briefings": True}),
    generated("hs-fn-04a", "filename", "rates-a.html",
              [{"text": article("Rates rise!", "The central bank raised its main rate by a quarter point.")}],
              "ingest", "two different stories whose titles slugify alike", title_contains="Rates rise!",
              text_contains=["raised its main rate by a quarter point"],
              checks={"distinct_from": "hs-fn-04b", "slug_nonempty": True}),
    generated("hs-fn-04b", "filename", "rates-b.html",
              [{"text": article("Rates: rise?", "Economists disagree on whether rates will rise again in June.")}],
              "ingest", "second half of the slug clash", title_contains="Rates: rise?",
              text_contains=["whether rates will rise again in June"],
              checks={"distinct_from": "hs-fn-04a", "slug_nonempty": True}),
    generated("hs-size-01", "size", "huge-dump.txt",
              [{"text": "Archive dump\n\n"}, {"repeat": "Line of an archive listing, nothing to see.\n",
                                              "count": 476626}],
              "reject", "20 MiB and more: refused from its size", reject_reason="too-large",
              checks={"time_limit_s": 30, "max_rss_mib": 512}),
]


def part_bytes(parts: list[dict[str, Any]]) -> bytes:
    return b"".join(p["text"].encode() if "text" in p else p["repeat"].encode() * p["count"] for p in parts)


def main() -> None:
    inbox = TARGET / "inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir(parents=True)
    entries = []
    for case in CASES:
        data = case.pop("data") if case["stored"] else part_bytes(case["parts"])
        if case["stored"]:
            (inbox / case["file"]).write_bytes(data)
        entries.append({**case, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    families: dict[str, int] = {}
    for entry in entries:
        families[entry["family"]] = families.get(entry["family"], 0) + 1
    manifest = {"format": "bad-input-corpus/1", "split": "project-fixtures",
                "size_policy": {"must_accept_up_to_bytes": 8388608, "must_reject_from_bytes": 20971520},
                "marker_prefix": "HS-", "families": dict(sorted(families.items())), "cases": entries}
    (TARGET / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")


if __name__ == "__main__":
    main()
