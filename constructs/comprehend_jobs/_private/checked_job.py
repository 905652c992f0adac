"""A job's props once its rules passed, and the seam that hands them to the job.

The rules (``job_rules``) return a frozen ``CheckedJobProps``: the one value a job builds
from. A job class checks its props and hands them to ``AnalysisJob``'s constructor with
``hand_over``; a composing construct (``ComprehendAnalysis``) checks a job's props before
it makes the job's parts, then starts the job with ``start_checked_job``. Either way each
rule runs once per construction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from constructs import Construct

from comprehend_jobs.input_options import DocumentReader
from comprehend_jobs.interfaces import (
    IDataAccessRole,
    IJobEncryption,
    IJobNetwork,
    IJobStorage,
)
from comprehend_jobs.job_types import JobType


class ModelSource(NamedTuple):
    """The one model a job runs with."""

    #: The API field that takes it: EntityRecognizerArn, DocumentClassifierArn or FlywheelArn.
    field: str
    #: The model's ARN (or a token).
    arn: str
    #: The prop it was given as, for messages (``recognizer_arn``, ``flywheel_arn``, ...).
    prop: str


@dataclass(frozen=True)
class CheckedJobProps:
    """A job's props as its rules passed them: what the job builds from.

    Returned by ``check_job_props`` (and so by ``check_job``); its values are a job's only
    once the ``Problems`` they were checked with raised nothing. The parts (storage, role,
    keys, network) are not in it: a composing construct checks the props before it makes
    them, and the job gets them as its props.
    """

    job_type: JobType
    #: Whether the job gets a network (the ``network`` rule allowed it for the type).
    in_vpc: bool
    job_name: str | None
    tags: Mapping[str, str] | None
    #: ``InputFormat``'s value, or None.
    input_format: str | None
    document_reader: DocumentReader | None
    language_code: str | None
    model_source: ModelSource | None
    stop_on_delete: bool
    wait_for_completion: bool
    rerun_token: str | None
    #: The type's own request fields (``Mode``, ``NumberOfTopics``, ...).
    type_fields: Mapping[str, Any] = field(default_factory=dict)
    #: The synth warning the model's Region calls for (``model_region_warning``), or None.
    model_region_warning: str | None = None
    #: The synth warning the job type calls for (``closed_job_type_warning``), or None.
    closed_job_type_warning: str | None = None


#: The checked props handed to the job constructed next in this context (see
#: ``hand_over``), or None.
_HANDED_OVER: ContextVar[CheckedJobProps | None] = ContextVar(
    "comprehend_jobs_checked_job_props", default=None
)


@contextmanager
def hand_over(checked: CheckedJobProps) -> Iterator[None]:
    """Hand ``checked`` to the job constructed inside the block: its constructor takes it
    (``take_handed_over``) and builds from it instead of running the rules again. A job
    class hands its checked props to ``AnalysisJob``'s constructor this way."""
    token = _HANDED_OVER.set(checked)
    try:
        yield
    finally:
        _HANDED_OVER.reset(token)


def take_handed_over(job_type: JobType) -> CheckedJobProps | None:
    """The checked props handed over for a job of ``job_type`` (taken: a construct made
    while the job builds sees none), or None when the job must check its props itself."""
    checked = _HANDED_OVER.get()
    if checked is None:
        return None
    # A mismatch is a library bug: the props were checked for another job type.
    assert checked.job_type is job_type, f"{checked.job_type.stem} props for a {job_type.stem} job"
    _HANDED_OVER.set(None)
    return checked


_Job = TypeVar("_Job")


def start_checked_job(
    job_class: Callable[..., _Job],
    scope: Construct,
    id: str,
    checked: CheckedJobProps,
    *,
    storage: IJobStorage,
    role: IDataAccessRole,
    encryption: IJobEncryption | None,
    network: IJobNetwork | None,
) -> _Job:
    """Make a job from props a composing construct already checked, running no rule again.

    The seam between a composing construct (``ComprehendAnalysis``) and the job classes:
    the construct checks the job's props with ``check_model_source`` and
    ``check_job_props`` before it makes anything, makes the parts, then starts the job
    here with them. The parts are the construct's own, or ones it checked.
    """
    # The network rule ran on whether there would be a network; this is that network.
    assert checked.in_vpc == (network is not None), "the checked network is not the one given"
    with hand_over(checked):
        return job_class(
            scope, id, storage=storage, role=role, encryption=encryption, network=network
        )
