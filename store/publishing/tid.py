"""Bluesky record keys: TIDs (timestamp identifiers), 13 characters of sortable base32 holding
the microseconds since 1970 and a 10-bit clock id. A delivery gets its TID once, when it is made,
so every attempt to publish it writes the same record."""

from __future__ import annotations

import random
import re
import threading
import time

ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
#: The shape the PDS accepts (the first character keeps the top bit clear).
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")

_lock = threading.Lock()
_last = 0
_clock_id = random.SystemRandom().randrange(1024)


def encode(value: int) -> str:
    """A 63-bit number as 13 characters of sortable base32."""
    chars = []
    for _ in range(13):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_tid(now_us: int | None = None) -> str:
    """A TID for now, never equal to one this process made before (a busy loop that makes many in
    one microsecond moves on to the next)."""
    global _last
    with _lock:
        micros = now_us if now_us is not None else time.time_ns() // 1000
        micros = max(micros, _last + 1)
        _last = micros
    return encode((micros << 10) | _clock_id)


def is_tid(text: str) -> bool:
    """Whether `text` is a well-formed TID."""
    return bool(TID.match(text))
