"""Every public construct documents every prop, with its default (aws-cdk-lib's habit).

For ``ComprehendAnalysis``, ``AnalysisJob`` and its nine job types, and the building blocks
(with their ``from_*`` importers), the signature's parameters are compared with the
``:param name:`` entries of the docstrings: every parameter is documented, no entry names
a parameter that does not exist, and the entry of each optional parameter says
``Default:`` (what leaving it out does).

Where a prop is documented: on the class (or its ``__init__``), on a base class it is
inherited from, or, for props unpacked from a ``TypedDict`` (``**props: Unpack[JobProps]``),
on that ``TypedDict``: documented once where it is declared, as aws-cdk-lib documents a
props interface once for every construct that extends it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ForwardRef

import pytest

import comprehend_jobs
from comprehend_jobs import (
    AnalysisJob,
    ComprehendAnalysis,
    DataAccessRole,
    DocumentClassificationJob,
    DominantLanguageDetectionJob,
    EntityRecognitionJob,
    EventsDetectionJob,
    JobEncryption,
    JobHandler,
    JobNetwork,
    JobStorage,
    KeyPhrasesDetectionJob,
    PiiEntitiesDetectionJob,
    SentimentDetectionJob,
    TargetedSentimentDetectionJob,
    TopicsDetectionJob,
)

JOB_TYPES: tuple[type, ...] = (
    EntityRecognitionJob,
    DocumentClassificationJob,
    DominantLanguageDetectionJob,
    KeyPhrasesDetectionJob,
    SentimentDetectionJob,
    TargetedSentimentDetectionJob,
    PiiEntitiesDetectionJob,
    TopicsDetectionJob,
    EventsDetectionJob,
)
BUILDING_BLOCKS: tuple[type, ...] = (
    DataAccessRole,
    JobStorage,
    JobEncryption,
    JobNetwork,
    JobHandler,
)
CONSTRUCTS: tuple[type, ...] = (ComprehendAnalysis, AnalysisJob, *JOB_TYPES, *BUILDING_BLOCKS)
#: A construct's scope and ID are the CDK's, not props.
NOT_PROPS = frozenset({"self", "cls", "scope", "id", "construct_id"})
#: One ``:param name:`` entry: its text runs to the next field, a blank line or the end.
_ENTRY = re.compile(
    r"^[ \t]*:param[ \t]+(?P<name>\w+):(?P<text>.*?)(?=^[ \t]*:\w|\n[ \t]*\n|\Z)",
    re.MULTILINE | re.DOTALL,
)
_UNPACK = re.compile(r"^Unpack\[(\w+)\]$")


def param_entries(doc: str | None) -> dict[str, str]:
    """``name -> text`` of every ``:param name:`` entry of a docstring."""
    return {
        m["name"]: " ".join(m["text"].split()) for m in _ENTRY.finditer(inspect.cleandoc(doc or ""))
    }


@dataclass
class Prop:
    """One parameter of a signature, with whether leaving it out is allowed."""

    name: str
    required: bool
    #: Where else it may be documented (the TypedDict it is unpacked from).
    declared_on: list[Any] = field(default_factory=list)


def signature_props(function: Callable[..., Any]) -> dict[str, Prop]:
    """The parameters of ``function`` but scope and ID; ``**props: Unpack[SomeTypedDict]``
    counts as that TypedDict's keys, and any other ``*args`` / ``**kwargs`` as nothing
    (a pass-through the docstring describes in words)."""
    props: dict[str, Prop] = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name in NOT_PROPS:
            continue
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            props.update(_unpacked(function, parameter.annotation))
            continue
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            continue
        props[parameter.name] = Prop(parameter.name, parameter.default is inspect.Parameter.empty)
    return props


def _unpacked(function: Callable[..., Any], annotation: object) -> dict[str, Prop]:
    # Annotations are strings (``from __future__ import annotations``): read the name and
    # find the TypedDict in the function's module.
    match = _UNPACK.match(str(annotation).replace("typing_extensions.", ""))
    if match is None:
        return {}
    typed_dict = inspect.unwrap(function).__globals__[match[1]]
    keys: dict[str, Prop] = {}
    for klass in reversed(typed_dict.__mro__):
        for key, hint in vars(klass).get("__annotations__", {}).items():
            # ForwardRef("Required[...]") under postponed annotations: read its text (the
            # TypedDict's own __required_keys__ misses Required[] in a string).
            text = hint.__forward_arg__ if isinstance(hint, ForwardRef) else str(hint)
            text = text.replace("typing.", "").replace("typing_extensions.", "")
            if text.startswith("NotRequired["):
                required = False
            elif text.startswith("Required["):
                required = True
            else:
                required = bool(getattr(klass, "__total__", True))
            keys[key] = Prop(key, required, [typed_dict])
    return keys


def _package_bases(cls: type) -> list[type]:
    """``cls`` and the classes of this package it inherits from, nearest first."""
    return [k for k in cls.__mro__ if k.__module__.startswith("comprehend_jobs")]


def _own_docs(cls: type) -> list[str | None]:
    """The docstrings that belong to ``cls`` itself: its own and its ``__init__``'s."""
    init = vars(cls).get("__init__")
    return [vars(cls).get("__doc__"), getattr(init, "__doc__", None)]


@dataclass
class Subject:
    """A documented callable: a construct's constructor, or a ``from_*`` importer."""

    label: str
    function: Callable[..., Any]
    #: Docstrings whose entries must all name a parameter of ``function``.
    own_docs: list[str | None]
    #: Further docstrings that may document its parameters (bases, TypedDicts).
    inherited_docs: list[str | None]


def _subjects() -> Iterator[Subject]:
    for cls in CONSTRUCTS:
        inherited: list[str | None] = []
        for base in _package_bases(cls)[1:]:
            inherited += _own_docs(base)
        # The constructor as declared: on the class, or on the base it inherits it from.
        constructor = next(vars(k)["__init__"] for k in cls.__mro__ if "__init__" in vars(k))
        yield Subject(cls.__name__, constructor, _own_docs(cls), inherited)
        for name, member in sorted(vars(cls).items()):
            if name.startswith("from_") and isinstance(member, classmethod | staticmethod):
                method = getattr(cls, name)
                yield Subject(f"{cls.__name__}.{name}", method, [method.__doc__], [])


SUBJECTS = list(_subjects())


def _problems(subject: Subject) -> list[str]:
    props = signature_props(subject.function)
    own: dict[str, str] = {}
    for doc in subject.own_docs:
        own.update(param_entries(doc))
    documented = dict(own)
    for doc in subject.inherited_docs:
        for name, text in param_entries(doc).items():
            documented.setdefault(name, text)
    for prop in props.values():
        for typed_dict in prop.declared_on:
            entry = param_entries(typed_dict.__doc__).get(prop.name)
            if entry is not None:
                documented.setdefault(prop.name, entry)
    problems = [
        f"{name}: not documented (add ':param {name}: ... Default: ...')"
        for name in props
        if name not in documented
    ]
    problems += [
        f"{name}: documented, but there is no such parameter"
        for name in own
        if name not in props and name not in NOT_PROPS
    ]
    problems += [
        f"{name}: optional, and its entry does not say 'Default:' ({documented[name]!r})"
        for name, prop in props.items()
        if not prop.required and name in documented and "Default:" not in documented[name]
    ]
    return problems


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: s.label)
def test_every_prop_is_documented_with_its_default(subject: Subject) -> None:
    problems = _problems(subject)
    assert problems == [], f"{subject.label}:\n  " + "\n  ".join(problems)


def test_every_typed_dict_entry_is_a_key() -> None:
    # A props TypedDict documents only the keys it has.
    typed_dicts = {
        id(typed_dict): typed_dict
        for subject in SUBJECTS
        for prop in signature_props(subject.function).values()
        for typed_dict in prop.declared_on
    }
    for typed_dict in typed_dicts.values():
        keys = set(typing_keys(typed_dict))
        extra = sorted(set(param_entries(typed_dict.__doc__)) - keys)
        assert extra == [], f"{typed_dict.__name__} documents no such keys: {extra}"


def typing_keys(typed_dict: Any) -> list[str]:
    """Every key of a TypedDict, its bases' included."""
    return [key for klass in typed_dict.__mro__ for key in vars(klass).get("__annotations__", {})]


def test_the_job_list_is_every_public_job_type() -> None:
    # A new job type joins the check on its own.
    def subclasses(cls: type) -> set[type]:
        direct: set[type] = set(cls.__subclasses__())
        return direct.union(*(subclasses(c) for c in direct))

    public = {
        c
        for c in subclasses(AnalysisJob)
        if not c.__name__.startswith("_") and c.__name__ in comprehend_jobs.__all__
    }
    assert public == set(JOB_TYPES)


def test_the_entry_parser_reads_multi_line_entries_and_stops_at_the_next_field() -> None:
    doc = """Summary.

    :param first: one line. Default: 1.
    :param second: spans
        two lines. Default: none.
    :raises ValueError: never.
    """
    assert param_entries(doc) == {
        "first": "one line. Default: 1.",
        "second": "spans two lines. Default: none.",
    }


def test_a_missing_entry_and_an_unknown_one_are_both_reported() -> None:
    def function(scope: object, id: str, *, given: int = 1, missing: str | None = None) -> None:
        """:param given: documented. Default: 1.
        :param ghost: not a parameter. Default: none.
        """

    problems = _problems(Subject("function", function, [function.__doc__], []))
    assert problems == [
        "missing: not documented (add ':param missing: ... Default: ...')",
        "ghost: documented, but there is no such parameter",
    ]
