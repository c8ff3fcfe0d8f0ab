"""The gate every piece of text from people (teammates now, strangers on social networks soon)
passes before the store keeps it or hands it out: no control characters that a terminal would
obey, no lone surrogates, no bidi overrides (a caption that reads one way to its reviewer and
another way to the world), no pile of combining marks.

Fields with lines (captions, briefs, notes) keep line breaks and tabs; one-line fields (titles,
names, handles) turn them into spaces. The model fields call `clean` on the way in and out, so
nothing stored by an older version, or behind Postroom's back, reaches a screen uncleaned.
"""

from __future__ import annotations

import regex

_C0 = [c for c in range(0x20) if c not in (0x09, 0x0A)]
_C1 = list(range(0x7F, 0xA0))  # DEL and the 8-bit controls (0x9B is a CSI on some terminals)
_SURROGATES = range(0xD800, 0xE000)
#: Embeddings, overrides and isolates: they reorder what a reader sees ("Trojan source").
#: The marks LRM/RLM/ALM stay: right-to-left writing needs them and they reorder nothing.
BIDI_CONTROLS = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
#: More combining marks than any script stacks on one letter is a rendering attack.
MAX_MARKS = 8

_DROP = {code: None for code in (*_C0, *_C1)}
_DROP.update({code: "\ufffd" for code in _SURROGATES})
_DROP.update({code: None for code in BIDI_CONTROLS})
_LINES = {**_DROP, 0x0D: None}  # a CR is dropped (CRLF becomes LF; a lone CR is handled first)
_ONE_LINE = {**_DROP, 0x09: " ", 0x0A: " "}
_MARK_RUN = regex.compile(rf"(\p{{M}}{{{MAX_MARKS}}})\p{{M}}+")
_UNSAFE = regex.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
    + rf"|\p{{M}}{{{MAX_MARKS + 1}}}"
)


def clean(text: str | None, *, lines: bool = False) -> str:
    """`text` as the store keeps it; `lines` for fields that have several lines."""
    if not text:
        return "" if text is None else text
    if lines:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.translate(_LINES)
    else:
        if "\r" in text:
            text = text.replace("\r\n", " ").replace("\r", " ")
        text = text.translate(_ONE_LINE)
    return _MARK_RUN.sub(r"\1", text)


def is_clean(text: str, *, lines: bool = False) -> bool:
    """Whether `text` would pass the gate unchanged (for tests and output checks)."""
    return clean(text, lines=lines) == text


def unsafe_characters(text: str) -> list[str]:
    """The characters of `text` no screen may show (control characters, lone surrogates, bidi
    overrides, piles of combining marks), as code points, for tests and error messages."""
    return [f"U+{ord(m.group(0)[0]):04X}" for m in _UNSAFE.finditer(text)]
