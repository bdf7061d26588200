"""Benchmark the provision alignment of two versions of a large draft, time and accuracy.

    python bench/alignment.py [--scale F] [--runs N] [--seed S] [--errors K]

Version 1 is the largest corpus text (the Labour Code draft, 231 articles) grown to 689
articles at --scale 1 (the Civil Code's size): its chapters are repeated, each repetition with
its syllables enciphered by a fixed substitution of the corpus vocabulary (so the copies are
texts of their own, with the same structure and the same repetitiveness), chapters and articles
numbered on. Version 2 is made from version 1 as a drafting agency would: 10 articles inserted
(articles of the other corpus text), 15 % of the clauses edited (about one syllable in seven
replaced), 5 articles deleted and 3 moved to another chapter; articles renumbered; every block
gets a new id, as on a re-import. The truth is known by construction.

Alignment (`drafts.alignment.align_outlines` on the two outlines) runs once to warm up, then
--runs times: median and p95. Accuracy = share of provisions (all kinds) matched as the truth
says: a provision of version 2 given the key of the one it continues (none for an inserted
one), and a deleted provision of version 1 left without successor. Status accuracy compares
the statuses too (new, removed, moved articles, changed clauses, unchanged). Targets: median
≤ 2 s, accuracy ≥ 98 %. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
if not SHARED_CORPUS.is_dir():
    SHARED_CORPUS = REPO.parents[1] / "shared" / "corpus"  # from a worktree in /work/wt/<name>
CORPUS_DIR = SHARED_CORPUS if SHARED_CORPUS.is_dir() else REPO / "consult" / "demo" / "corpus"
ARTICLES_AT_SCALE_1 = 689
INSERTED, DELETED, MOVED = 10, 5, 3
EDITED_SHARE = 0.15
EDITED_WORDS = 1 / 7
TARGET_S, TARGET_ACCURACY = 2.0, 0.98
WORD = re.compile(r"\w+")


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def setup_django() -> None:
    """Settings for the importer's messages and limits; no database is used."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "econsult.settings.dev")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def new_id() -> str:
    return str(uuid.uuid4())


def roman(number: int) -> str:
    from drafts.outline import int_to_roman

    return int_to_roman(number)


# --- Version 1 ------------------------------------------------------------------------------


def texts_of(body: list[dict]):
    """Every (container, field) holding text in a body, to read or rewrite."""
    for block in body:
        if block["type"] == "paragraph":
            continue
        value = block["value"]
        if block["type"] != "article":
            yield value, "title"
            continue
        yield value, "title"
        yield value, "intro"
        for point in value.get("points", []):
            yield point["value"], "text"
        for clause in value.get("clauses", []):
            yield clause["value"], "text"
            for point in clause["value"].get("points", []):
                yield point["value"], "text"


def vocabulary(body: list[dict]) -> list[str]:
    words = set()
    for container, key in texts_of(body):
        words.update(w.lower() for w in WORD.findall(container.get(key) or "") if w.isalpha())
    return sorted(words)


def cipher(words: list[str], seed: int) -> dict[str, str]:
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)
    return dict(zip(words, shuffled, strict=True))


def encipher(text: str, table: dict[str, str]) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0)
        out = table.get(word.lower(), word)
        if word[:1].isupper():
            out = out[:1].upper() + out[1:]
        if word.isupper() and len(word) > 1:
            out = out.upper()
        return out

    return WORD.sub(swap, text)


def fresh_ids(block: dict) -> dict:
    block = copy.deepcopy(block)

    def walk(value):
        if isinstance(value, dict):
            if "id" in value:
                value["id"] = new_id()
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(block)
    return block


def version_one(source: list[dict], articles: int, words: list[str]) -> list[dict]:
    """`source` repeated (each repetition enciphered) up to `articles` articles."""
    body: list[dict] = []
    count, chapter, copy_number = 0, 0, 0
    while count < articles:
        table = cipher(words, seed=copy_number) if copy_number else None
        for block in source:
            if block["type"] == "paragraph" and copy_number:
                continue
            if block["type"] == "article" and count >= articles:
                break
            block = fresh_ids(block)
            if table:
                for container, key in texts_of([block]):
                    container[key] = encipher(container.get(key) or "", table)
            if block["type"] == "chapter":
                chapter += 1
                block["value"]["number"] = roman(chapter)
            elif block["type"] == "article":
                count += 1
                block["value"]["number"] = str(count)
            body.append(block)
        copy_number += 1
    return body


# --- Version 2 and the truth ----------------------------------------------------------------


def version_two(v1: list[dict], inserts: list[dict], words: list[str], rng: random.Random):
    """Version 2 and what was done: ids of inserted, deleted, moved articles and edited
    clauses (version 1's ids; inserted articles carry ids absent from version 1)."""
    v2 = copy.deepcopy(v1)
    article_at = [i for i, block in enumerate(v2) if block["type"] == "article"]
    chosen = rng.sample(article_at, DELETED + MOVED)
    deleted = {v2[i]["id"] for i in chosen[:DELETED]}
    moved_blocks = [v2[i] for i in chosen[DELETED:]]
    moved = {block["id"] for block in moved_blocks}
    v2 = [block for block in v2 if block["id"] not in deleted | moved]
    for block in moved_blocks:  # into another chapter, far from where it was
        old_place = v1.index(next(b for b in v1 if b.get("id") == block["id"]))
        places = [
            i
            for i, b in enumerate(v2)
            if b["type"] == "article" and abs(i - old_place) > len(v2) // 4
        ]
        v2.insert(rng.choice(places), block)
    inserted = set()
    for source in rng.sample(inserts, INSERTED):
        block = fresh_ids(source)
        inserted.add(block["id"])
        places = [i for i, b in enumerate(v2) if b["type"] == "article"]
        v2.insert(rng.choice(places), block)
    clauses = [
        clause["value"]
        for block in v2
        if block["type"] == "article" and block["id"] not in inserted
        for clause in block["value"]["clauses"]
    ]
    edited = set()
    for clause in rng.sample(clauses, round(EDITED_SHARE * len(clauses))):
        tokens = clause["text"].split(" ")
        for i in rng.sample(range(len(tokens)), max(1, round(EDITED_WORDS * len(tokens)))):
            tokens[i] = rng.choice(words)
        clause["text"] = " ".join(tokens)
        edited.add(id(clause))
    number = 0
    for block in v2:
        if block["type"] == "article":
            number += 1
            block["value"]["number"] = str(number)
    return v2, inserted, deleted, moved, edited


def reissue_ids(body: list[dict], edited_values: set[int]) -> tuple[list[dict], dict, set]:
    """Every id replaced, as a re-import does: (body, new id → old id, new ids of edited
    clauses)."""
    truth: dict[str, str] = {}
    edited: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            if "id" in value:
                fresh = new_id()
                truth[fresh] = value["id"]
                value["id"] = fresh
                if id(value.get("value")) in edited_values:
                    edited.add(fresh)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body)
    return body, truth, edited


def score(alignment, v1_outline, v2_outline, truth, inserted_keys, deleted_keys, moved, edited):
    """(accuracy, status accuracy, renumbering accuracy, the first wrong ones)."""
    from drafts.alignment import Status

    mapping = alignment.mapping()
    successors = alignment.successors()
    status_of_new = {}
    for m in alignment.matches:
        if m.new is not None and (m.keeps_key or m.old is None or m.new.key not in status_of_new):
            status_of_new.setdefault(m.new.key, m)
            if m.keeps_key:
                status_of_new[m.new.key] = m
    v1_keys = {item.key for item in v1_outline}
    v1_by_key = {item.key: item for item in v1_outline}
    right = status_right = renumber_right = 0
    wrong: list[str] = []
    for item in v2_outline:
        expected = truth.get(item.key)
        if expected not in v1_keys:
            expected = None
        match = status_of_new[item.key]
        ok = mapping.get(item.key) == expected
        right += ok
        if expected is None:
            want = Status.NEW
        elif expected in moved:
            want = Status.MOVED
        elif item.key in edited:
            want = Status.CHANGED
        else:
            want = Status.UNCHANGED
        status_right += ok and match.status == want
        if expected is not None:
            renumber_right += match.renumbered == (v1_by_key[expected].number != item.number)
        else:
            renumber_right += not match.renumbered
        if not (ok and match.status == want) and len(wrong) < 20:
            got = mapping.get(item.key)
            wrong.append(
                f"{item.citation}: expected {want} "
                f"{v1_by_key[expected].citation if expected else '-'}, got {match.status} "
                f"{v1_by_key[got].citation if got else '-'}"
            )
    removed = [item for item in v1_outline if item.key in deleted_keys]
    for item in removed:
        ok = not successors.get(item.key)
        right += ok
        status_right += ok
        renumber_right += 1
        if not ok and len(wrong) < 20:
            wrong.append(f"{item.citation} (deleted): continued by {successors.get(item.key)}")
    total = len(v2_outline) + len(removed)
    return right / total, status_right / total, renumber_right / total, wrong, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 689 articles (default)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs after a warm-up")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--errors", type=int, default=10, help="wrong matches to print")
    args = parser.parse_args()

    setup_django()
    from drafts.alignment import align_outlines
    from drafts.importing import parse_text
    from drafts.outline import build_outline

    files = sorted(CORPUS_DIR.glob("*.txt"), key=lambda path: path.stat().st_size)
    source_path, other_path = files[-1], files[0]
    source = parse_text(source_path.read_text(encoding="utf-8")).body
    others = [b for b in parse_text(other_path.read_text(encoding="utf-8")).body
              if b["type"] == "article"]  # fmt: skip
    words = vocabulary(source)
    articles = max(20, round(ARTICLES_AT_SCALE_1 * args.scale))
    rng = random.Random(args.seed)

    v1 = version_one(source, articles, words)
    v2, inserted, deleted, moved, edited_values = version_two(v1, others, words, rng)
    v2, truth, edited = reissue_ids(v2, edited_values)
    v1_outline, v2_outline = build_outline(v1), build_outline(v2)
    deleted_keys = set()
    for item in v1_outline:  # deleted articles and everything under them
        if item.key in deleted or item.parent_key in deleted_keys:
            deleted_keys.add(item.key)
    inserted_new = {new for new, old in truth.items() if old in inserted}
    assert not inserted_new & set(truth.values())

    alignment = align_outlines(v1_outline, v2_outline)  # warm-up
    times = []
    for _ in range(max(1, args.runs)):
        start = time.perf_counter()
        alignment = align_outlines(v1_outline, v2_outline)
        times.append(time.perf_counter() - start)
    accuracy, status_accuracy, renumber_accuracy, wrong, total = score(
        alignment, v1_outline, v2_outline, truth, inserted_new, deleted_keys, moved, edited
    )
    kinds: dict[str, int] = {}
    for item in v1_outline:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1

    figures = {
        "source": source_path.name,
        "scale": args.scale,
        "articles": articles,
        "provisions_v1": len(v1_outline),
        "provisions_v2": len(v2_outline),
        "kinds_v1": kinds,
        "inserted_articles": INSERTED,
        "deleted_articles": DELETED,
        "moved_articles": MOVED,
        "edited_clauses": len(edited),
        "runs": len(times),
        "median_s": round(statistics.median(times), 4),
        "p95_s": round(percentile(times, 0.95), 4),
        "accuracy": round(accuracy, 5),
        "status_accuracy": round(status_accuracy, 5),
        "renumbered_accuracy": round(renumber_accuracy, 5),
        "provisions_scored": total,
        "counts": alignment.counts(),
        "target_s": TARGET_S,
        "target_accuracy": TARGET_ACCURACY,
        "ok": statistics.median(times) <= TARGET_S and accuracy >= TARGET_ACCURACY,
    }
    print(f"Version 1: {articles} articles, {len(v1_outline):,} provisions {kinds}")
    print(f"Version 2: +{INSERTED} articles, -{DELETED}, {MOVED} moved, {len(edited)} clauses "
          f"edited, {len(v2_outline):,} provisions")  # fmt: skip
    print(f"Alignment: {len(times)} runs, median {figures['median_s']:.3f} s, "
          f"p95 {figures['p95_s']:.3f} s (target ≤ {TARGET_S} s)")  # fmt: skip
    print(f"Accuracy: {accuracy:.2%} of {total:,} provisions matched as the truth says "
          f"(target ≥ {TARGET_ACCURACY:.0%}); with statuses {status_accuracy:.2%}; "
          f"renumbering {renumber_accuracy:.2%}")  # fmt: skip
    print(f"Counts: {alignment.counts()}")
    for line in wrong[: args.errors]:
        print(f"  wrong: {line}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
