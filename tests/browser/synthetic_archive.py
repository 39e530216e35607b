"""A synthetic archive of N real-shaped briefing files, written straight in the briefing format (fast), for the
search tests at scale. Deterministic: briefing i is the same on every run. The sentences are our own."""

from __future__ import annotations

import random
import shutil
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

FIXTURE_TAXONOMY = Path(__file__).resolve().parents[1] / "site" / "content" / "taxonomy"
TOPICS = ("air-defense", "sanctions", "diplomacy", "energy")
ENTITIES = ("Kyiv", "Kharkiv", "Odesa", "NATO", "European Union", "Volodymyr Zelensky", "Patriot", "IRIS-T",
            "Germany", "Poland", "Russia", "United States", "Switzerland", "Black Sea")
SENTENCES = (
    "Germany pledged more Patriot batteries as drones hit Kyiv overnight.",
    "The EU agreed a new sanctions package targeting shadow fleet tankers and oil revenue.",
    "Negotiators met in Geneva to discuss a prisoner exchange and a ceasefire on energy sites.",
    "Air defense crews shot down most of the missiles, officials in Kharkiv said.",
    "Oil prices rose after the price cap was tightened for Russian crude exports.",
    "President Zelensky asked NATO partners for interceptors before winter.",
    "Diplomats in Brussels said talks on the grain corridor would resume next week.",
    "Power cuts spread across Odesa after strikes on substations and a thermal plant.",
    "Poland opened a repair hub for IRIS-T launchers near the border.",
    "Insurers must document that every cargo was bought under the price cap.",
    "The Black Sea corridor carried record grain shipments despite drone attacks.",
    "Swiss mediators prepared a summit on nuclear safety at Zaporizhzhia.",
)
NAMESPACE = uuid.UUID("2f0c7a52-0d7b-4c55-8f43-6b5f3f1e9a10")
FIRST_DAY = datetime(2019, 1, 1, 8, 0, tzinfo=timezone.utc)


def briefing_text(number: int, count: int) -> str:
    """Briefing `number` of `count`: dates spread evenly, a higher number is newer."""
    rng = random.Random(number)
    sentences = rng.sample(SENTENCES, 5)
    date = FIRST_DAY + timedelta(days=(7 * 365 * number) // max(count, 1), minutes=number % 600)
    topics = rng.sample(TOPICS, rng.randint(1, 2))
    entities = sorted(set(rng.sample(ENTITIES, 3)))
    title = f"{sentences[0].rstrip('.')} (report {number})"
    header = {
        "Title": title,
        "Date": date.isoformat(),
        "Date_Source": "capture",
        "Captured": date.isoformat(),
        "Source": "Example Wire",
        "Source_Url": f"https://wire.example.com/{number}",
        "Language": "en",
        "Topics": ", ".join(topics),
        "Tags": ", ".join(entities),
        "Summary": " ".join(sentences[:2]),
        "Key_Points": " | ".join(sentences[2:5]),
        "Uid": str(uuid.uuid5(NAMESPACE, str(number))),
    }
    body = "\n\n".join(sentence.replace(".", "\\.") for sentence in sentences)
    return "\n".join(f"{key}: {value}" for key, value in header.items()) + "\n\n" + body + "\n"


def write_archive(content: Path, count: int) -> Path:
    """content/briefings/report-<n>.md for n < count, and the fixture taxonomy; returns content."""
    (content / "briefings").mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE_TAXONOMY, content / "taxonomy", dirs_exist_ok=True)
    for number in range(count):
        (content / "briefings" / f"report-{number:05d}.md").write_text(briefing_text(number, count),
                                                                      encoding="utf-8")
    return content
