"""The one JSON reader for what people and programs send: request bodies, pasted plans, files."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

# PostgreSQL text cannot hold NUL, and UTF-8 cannot encode a lone UTF-16 surrogate (from "\ud800").
UNFIT_TEXT = re.compile("[\x00\ud800-\udfff]")
UNFIT_REASON = "holds a NUL character or a lone surrogate, which text cannot hold"
# Arrays and objects inside each other; real documents (a Lago plan included) need fewer than ten.
MAX_JSON_DEPTH = 32


class UnfitJson(json.JSONDecodeError):
    """JSON refused by a rule of this reader rather than by the grammar: too deep, unstorable."""

    def __init__(self, msg: str, doc: str):
        super().__init__(msg, doc, 0)

    def __str__(self) -> str:
        # A position would point at the start of the document, which helps nobody.
        return self.msg


def read_json(text: str | bytes, **options: Any) -> Any:
    """Parse JSON, refusing deep nesting, numbers Python cannot read and unstorable strings."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise UnfitJson("not UTF-8 text", "") from None
    try:
        value = json.loads(text, **options)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError):
        # Integers of over 4300 digits and nesting that exhausts the stack come without a position.
        raise UnfitJson("number too long or nesting too deep", text) from None
    _check_tree(value, text)
    return value


# Outside its strings a JSON text's structure is its brackets; inside them, escapes hide quotes.
_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
# A "\\u" escape of NUL or of a surrogate. Escaped backslashes and high and low pairs (one
# character) match outside the group, so only an escape that is not half of a pair fills it.
_ESCAPE = re.compile(
    r"\\\\|\\u(?:[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(0000|[dD][89a-fA-F]))"
)


def _check_tree(value: Any, text: str) -> None:
    if _depth(text) > MAX_JSON_DEPTH:
        raise UnfitJson(f"nesting too deep: more than {MAX_JSON_DEPTH} levels", text)
    if _may_hold_unfit_strings(text):
        for where, name in _unfit_strings(value, ""):
            raise UnfitJson(f"the {name} at {where or '/'} {UNFIT_REASON}", text)


def _depth(text: str) -> int:
    """Return how deep arrays and objects nest in a text that parsed, without walking the tree."""
    # Escaped backslashes, then escaped quotes, go first (left to right, as JSON pairs them);
    # then every other quote opens or closes a string, and what is left between strings are
    # the brackets. All C-speed steps: a body of a MiB of small rows takes milliseconds.
    plain = text.replace("\\\\", "").replace('\\"', "").encode("utf-8", "surrogatepass")
    outside = b"".join(plain.translate(None, _STRUCTURE).split(b'"')[::2])
    return max(accumulate(map(_STEP.__getitem__, outside)), default=0)


def _may_hold_unfit_strings(text: str) -> bool:
    """Tell from the text alone, at C speed, whether walking the tree for such strings is needed."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True  # a raw surrogate
    return "\x00" in text or any(m.group(1) for m in _ESCAPE.finditer(text))


def _unfit_strings(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """Yield the pointer of each string or member name text cannot hold (depth is bounded)."""
    if isinstance(node, str) and UNFIT_TEXT.search(node):
        yield pointer, "string"
    elif isinstance(node, dict | list):
        for key, child in node.items() if isinstance(node, dict) else enumerate(node):
            here = f"{pointer}/{_pointer_token(key)}"
            if isinstance(key, str) and UNFIT_TEXT.search(key):
                yield here, "member name"
            yield from _unfit_strings(child, here)


def _pointer_token(key: str | int) -> str:
    # RFC 6901 escapes, then the unstorable characters written out so the message can show them.
    return shown(str(key).replace("~", "~0").replace("/", "~1"))


def shown(text: str) -> str:
    """Write the characters text cannot hold as escapes, so a message can point at them."""
    return UNFIT_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
