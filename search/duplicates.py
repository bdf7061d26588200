"""Campaign detection: identical and near-identical comments.

Identical comments share a fingerprint, the hash of their folded words. Near-identical ones
(a template with a name or a number changed) are found with MinHash over word pairs: each
comment of MIN_WORDS words or more gets a signature of SIGNATURE_SIZE minima, one per hash
function, and NEAR_BANDS keys, each the hash of a band of ROWS minima. Two comments whose
word-pair sets overlap by a Jaccard similarity s share at least one key with probability
1 - (1 - s^ROWS)^NEAR_BANDS: 0.97 at s = 0.9, 0.80 at 0.8, 0.12 at 0.5, 0.04 at 0.4 (two
comments that share only a stock opening and closing). Comments that share a key are then
compared on their signatures, and grouped when they agree on at least NEAR_THRESHOLD of them
(see `group_members`).

Both engines store the fingerprint, the keys and the signature per comment and group them
with `group_members`, so they find the same campaigns.
"""

from __future__ import annotations

import base64
import hashlib
import operator
import random
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SIGNATURE_SIZE = 20
NEAR_BANDS = 4
ROWS = SIGNATURE_SIZE // NEAR_BANDS
NEAR_THRESHOLD = 0.6
MAX_COMPARISONS = 8  # leaders kept per key and tried per comment: bounds chance sharing
MIN_WORDS = 5
_MASK = (1 << 64) - 1
# The hash functions h → a·h + b (mod 2^64), a odd: fixed, so signatures stay comparable.
_random = random.Random(20250601)
_FUNCTIONS = [(_random.getrandbits(64) | 1, _random.getrandbits(64)) for _ in range(SIGNATURE_SIZE)]


def fingerprint(words: Sequence[str]) -> str:
    """The hash of the folded words: equal for comments that differ only in case, accents,
    spacing and punctuation. Empty for a comment without words."""
    if not words:
        return ""
    return hashlib.blake2b(" ".join(words).encode(), digest_size=12).hexdigest()


def _mix(value: int) -> int:
    """splitmix64's finaliser: spreads the bits of a combined hash."""
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
    value = (value ^ (value >> 27)) * 0x94D049BB133111EB & _MASK
    return value ^ (value >> 31)


def signature(words: Sequence[str]) -> tuple[int, ...]:
    """The MinHash signature of the comment's word pairs: for each of SIGNATURE_SIZE hash
    functions, the least 32-bit hash of a pair. Empty under MIN_WORDS words: short comments
    group only when identical."""
    if len(words) < MIN_WORDS:
        return ()
    codes = {word: zlib.crc32(word.encode()) for word in set(words)}
    hashed = [codes[word] for word in words]
    pairs = [
        _mix((first << 32) | second) for first, second in set(zip(hashed, hashed[1:], strict=False))
    ]
    return tuple(min([(h * a + b) & _MASK for h in pairs]) >> 32 for a, b in _FUNCTIONS)


def near_keys(sig: Sequence[int]) -> list[int]:
    """One key per band of the signature, as non-negative 63-bit integers."""
    if not sig:
        return []
    keys = []
    for band in range(NEAR_BANDS):
        values = sig[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<B{ROWS}I", band, *values), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def encode_signature(sig: Sequence[int]) -> str:
    return base64.b64encode(struct.pack(f"<{len(sig)}I", *sig)).decode() if sig else ""


def decode_signature(value: str) -> tuple[int, ...]:
    if not value:
        return ()
    raw = base64.b64decode(value)
    return struct.unpack(f"<{len(raw) // 4}I", raw)


def agreement(first: Sequence[int], second: Sequence[int]) -> float:
    """The share of equal minima: an estimate of the two comments' Jaccard similarity."""
    if not first or len(first) != len(second):
        return 0.0
    return sum(map(operator.eq, first, second)) / len(first)


@dataclass(frozen=True)
class Member:
    """What grouping needs of one comment."""

    id: int
    fingerprint: str
    keys: tuple[int, ...]
    signature: str


def group_members(members: Iterable[Member], *, min_size: int = 2) -> list[list[int]]:
    """Campaigns among `members`: lists of ids (ascending), largest first, then oldest.

    Leader clustering, oldest first: a comment joins the campaign of the first leader that
    has its fingerprint, or that shares a key with it and whose signature it matches; else
    it leads a campaign of its own. Members are compared with the leader only, so a chain
    of small edits cannot pull unrelated comments together. A comment left alone is then
    tried once more against the campaigns its keys lead to, now that all are known.
    """
    leader_of_fingerprint: dict[str, int] = {}
    leaders_of_key: dict[int, list[int]] = {}
    signatures: dict[int, tuple[int, ...]] = {}
    groups: dict[int, list[int]] = {}
    keys_of: dict[int, tuple[int, ...]] = {}
    for member in sorted(members, key=lambda m: m.id):
        leader = leader_of_fingerprint.get(member.fingerprint) if member.fingerprint else None
        if leader is None and member.keys:
            own = decode_signature(member.signature)
            candidates = sorted({pk for key in member.keys for pk in leaders_of_key.get(key, ())})
            for candidate in candidates[:MAX_COMPARISONS]:
                if agreement(own, signatures[candidate]) >= NEAR_THRESHOLD:
                    leader = candidate
                    break
        if leader is None:
            leader = member.id
            groups[leader] = []
            signatures[leader] = decode_signature(member.signature)
            keys_of[leader] = member.keys
        groups[leader].append(member.id)
        if member.fingerprint:
            leader_of_fingerprint.setdefault(member.fingerprint, leader)
        for key in member.keys:
            found = leaders_of_key.setdefault(key, [])
            if leader not in found and len(found) < MAX_COMPARISONS:
                found.append(leader)
    # A comment met before the campaign member it shares a key with is tried again.
    for leader, ids in list(groups.items()):
        if len(ids) != 1 or leader not in keys_of:
            continue
        own = signatures[leader]
        candidates = sorted({pk for key in keys_of[leader] for pk in leaders_of_key[key]})
        for candidate in [pk for pk in candidates if pk != leader][:MAX_COMPARISONS]:
            if candidate in groups and agreement(own, signatures[candidate]) >= NEAR_THRESHOLD:
                groups[candidate].append(leader)
                del groups[leader]
                break
    found = [sorted(ids) for ids in groups.values() if len(ids) >= min_size]
    found.sort(key=lambda ids: (-len(ids), ids[0]))
    return found
