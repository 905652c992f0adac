r"""The Comprehend API model's rules for one value: allowed values, length and pattern.

The one implementation of them: the handler checks every request with it
(``request_builder``) and the constructs check props with it at synth
(``comprehend_jobs._private.api_model``). Both pass a shape's metadata as botocore reports
it (``Shape.metadata``: ``enum``, ``min``, ``max``, ``pattern``), so the limits are the
model's own and nothing here is copied by hand.

The model's patterns are Java-style and matched against the whole value; the Unicode
classes Python's ``re`` lacks (``\p{L}``, ``\p{N}``, ``\p{Z}``, ``\p{ASCII}``) are
translated. Standard library only: this module ships in the Lambda asset.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

# Unicode separators (category Z): Python's re has no \p{Z}. The set is small and fixed;
# a test checks it against unicodedata over every code point.
_UNICODE_Z = r"\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_CHAR_CLASS = re.compile(r"\[(\^?)((?:\\.|[^\]\\])+)\]")


def _translate_class(match: re.Match[str]) -> str:
    negated, body = match.groups()
    body = body.replace(r"\p{ASCII}", r"\x00-\x7F").replace(r"\p{Z}", _UNICODE_Z)
    if not negated and r"\p{L}" in body and r"\p{N}" in body:
        # [^\W_] is exactly "letter or number" (str.isalnum), which \p{L}\p{N} spell.
        rest = body.replace(r"\p{L}", "").replace(r"\p{N}", "")
        return rf"(?:[^\W_]|[{rest}])" if rest else r"[^\W_]"
    return f"[{negated}{body}]"


@functools.cache
def python_pattern(model_pattern: str) -> re.Pattern[str]:
    """Compile a model (Java-style) pattern for Python's ``re``; matched in full.

    AWS validates patterns against the whole value, so callers use ``fullmatch``.
    Raises ValueError on a Unicode property this translation does not cover.
    """
    translated = _CHAR_CLASS.sub(_translate_class, model_pattern)
    translated = translated.replace(r"\p{ASCII}", r"[\x00-\x7F]")
    translated = translated.replace(r"\p{Z}", f"[{_UNICODE_Z}]")
    if r"\p{" in translated:
        raise ValueError(f"unsupported Unicode property in model pattern {model_pattern!r}")
    return re.compile(translated)


def length_problem(metadata: Mapping[str, Any], size: int, unit: str) -> str | None:
    """What is wrong with a length of ``size`` ``unit`` (characters, items) under a shape's
    ``min`` and ``max``, or None when it is within them."""
    low, high = metadata.get("min"), metadata.get("max")
    if low is not None and size < low:
        return f"must have at least {low} {unit} (has {size})"
    if high is not None and size > high:
        return f"must have at most {high} {unit} (has {size})"
    return None


def string_problem(metadata: Mapping[str, Any], value: str) -> str | None:
    """What is wrong with ``value`` under a string shape's allowed values, length and
    pattern (in that order, the first problem only), or None when the model allows it."""
    enum = metadata.get("enum")
    if enum and value not in enum:
        return f"allowed values: {', '.join(enum)}"
    problem = length_problem(metadata, len(value), "characters")
    if problem:
        return problem
    pattern = metadata.get("pattern")
    if pattern and not python_pattern(pattern).fullmatch(value):
        return f"must match the pattern {pattern}"
    return None
