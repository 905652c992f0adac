"""The job classes' documentation of the props they share (``JobProps``)."""

from __future__ import annotations

from typing import TypeVar

_C = TypeVar("_C", bound=type)
#: Where the shared props' entries start in ``AnalysisJob``'s docstring.
_FIRST_SHARED_ENTRY = "    :param storage:"


def documents_job_props(cls: _C) -> _C:
    """Append the ``:param`` entries of the props every job takes (from the nearest base
    that documents them: ``AnalysisJob``) to a job class's own, so that every parameter
    its ``__init__`` takes (``**props: Unpack[JobProps]`` included) is documented on the
    class itself."""
    shared = next(
        doc.split(_FIRST_SHARED_ENTRY, 1)[1]
        for doc in (base.__doc__ for base in cls.__mro__[1:])
        if doc and _FIRST_SHARED_ENTRY in doc
    )
    cls.__doc__ = f"{(cls.__doc__ or '').rstrip()}\n{_FIRST_SHARED_ENTRY}{shared}"
    return cls
