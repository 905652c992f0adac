"""The rules ``ComprehendAnalysis``'s props must pass, each a named function.

The pattern checks everything before it makes any part: its own props here, the job's
with ``job_rules`` (the result, ``CheckedAnalysis.job``, is handed to the job, which runs
no rule again), keys with ``key_rules``, S3 locations with ``prefix_rules``. Every problem
names the pattern's own prop, so a user reads the name they typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from constructs import Construct

from comprehend_jobs._private import job_rules
from comprehend_jobs._private.checked_job import CheckedJobProps, ModelSource
from comprehend_jobs._private.document_rules import (
    check_added_documents,
    check_document_files,
    check_storage_documents,
    reading_format,
)
from comprehend_jobs._private.key_rules import resolve_key
from comprehend_jobs._private.prefix_rules import (
    OBJECT_KEY_ALLOWED,
    is_object_key,
    prefix_problem,
    suggest_prefix,
)
from comprehend_jobs._private.s3_uris import S3Location, parse_s3_uri
from comprehend_jobs._private.validation import Problems
from comprehend_jobs.input_options import DocumentReader, InputFormat
from comprehend_jobs.interfaces import IDataAccessRole, IJobEncryption, IJobNetwork, IJobStorage
from comprehend_jobs.job_handler import JobHandler
from comprehend_jobs.job_types import DOCUMENT_CLASSIFICATION, ENTITIES_DETECTION, JobType

if TYPE_CHECKING:
    # Annotations only: aws_s3_deployment is loaded where documents are uploaded
    # (_private/input_documents.py), so an app that uploads none never loads it.
    from aws_cdk import aws_s3_deployment as s3deploy

#: A flywheel's model type (the API's ``ModelType``) -> the job the pattern starts with it.
FLYWHEEL_JOB_TYPES: dict[str, JobType] = {
    "ENTITY_RECOGNIZER": ENTITIES_DETECTION,
    "DOCUMENT_CLASSIFIER": DOCUMENT_CLASSIFICATION,
}


@dataclass(frozen=True)
class CheckedAnalysis:
    """What the pattern builds from once every rule passed."""

    #: The job's checked props, handed to the job (``checked_job.start_checked_job``).
    job: CheckedJobProps
    #: The locations ``input_s3_uri`` / ``output_s3_uri`` name ("input"/"output"), if any.
    locations: Mapping[str, S3Location]


def check_analysis(
    problems: Problems,
    scope: Construct,
    *,
    recognizer_arn: str | None,
    classifier_arn: str | None,
    flywheel_arn: str | None,
    flywheel_model_type: object,
    input_s3_uri: str | None,
    output_s3_uri: str | None,
    encryption: bool | IJobEncryption,
    volume_key: kms.IKey | str | None,
    output_key: kms.IKey | str | None,
    input_bucket_key: kms.IKey | str | None,
    network: bool | IJobNetwork,
    storage: IJobStorage | None,
    role: IDataAccessRole | None,
    input_documents: str | Sequence[s3deploy.ISource] | None,
    removal_policy: RemovalPolicy | None,
    log_key: kms.IKey | None,
    input_format: InputFormat | str | None,
    document_reader: DocumentReader | None,
    language_code: str | None,
    job_name: str | None,
    tags: Mapping[str, str] | None,
    wait_for_completion: bool,
    stop_on_delete: bool,
    rerun_token: str | None,
) -> CheckedAnalysis | None:
    """Every rule of the pattern's props, in the order a user reads the problems; the
    checked value, or None when ``problems`` holds any (the caller raises them)."""
    check_switches(problems, network=network, encryption=encryption)
    problems.check_bool("wait_for_completion", wait_for_completion)
    problems.check_bool("stop_on_delete", stop_on_delete)
    check_brought_parts(problems, storage=storage, role=role)
    models = {
        "recognizer_arn": ("EntityRecognizerArn", recognizer_arn),
        "classifier_arn": ("DocumentClassifierArn", classifier_arn),
        "flywheel_arn": ("FlywheelArn", flywheel_arn),
    }
    # Everything the job checks is checked here, once, before any part is made; the job
    # is built from the result and runs no rule again.
    source = job_rules.check_model_source(problems, models)
    job_type = job_type_of(problems, source, flywheel_arn, flywheel_model_type)
    checked: CheckedJobProps | None = None
    if source is not None and job_type is not None:
        checked = job_rules.check_job_props(
            problems,
            job_type=job_type,
            scope=scope,
            in_vpc=network is not False,
            job_name=job_name,
            tags=tags,
            input_format=input_format,
            document_reader=document_reader,
            language_code=(language_code or "en") if job_type is ENTITIES_DETECTION else None,
            model_source=source,
            stop_on_delete=stop_on_delete,
            wait_for_completion=wait_for_completion,
            rerun_token=rerun_token,
        )
    check_language(problems, language_code, job_type)
    check_input_documents(problems, input_documents, job_type, input_format)
    reading = reading_format(input_format)
    if storage is not None and job_type is not None and reading is not None:
        # A brought storage's own folders, read by this job as by any job on it (the job
        # is built from these checked props and runs no rule again).
        check_storage_documents(problems, storage, job_type.stem, reading)
    if storage is not None and isinstance(input_documents, str) and Path(input_documents).is_dir():
        # The storage's other jobs read these documents too: checked now, before any part
        # is made, and not again when the storage uploads them.
        check_added_documents(problems, "input_documents", storage, input_documents)
    locations = check_s3_uris(problems, input_s3_uri, output_s3_uri, storage is not None)
    check_removal_policy(
        problems,
        removal_policy,
        with_storage=storage is not None,
        with_both_uris=input_s3_uri is not None and output_s3_uri is not None,
    )
    if log_key is not None and problems.check_key_object("log_key", log_key):
        JobHandler.check_log_key(problems, scope, log_key, prop="log_key")
    check_keys(
        problems,
        Stack.of(scope),
        encryption,
        {"volume_key": volume_key, "output_key": output_key},
        input_bucket_key,
        with_input_uri=input_s3_uri is not None and storage is None,
    )
    check_documents_given(
        problems,
        with_storage=storage is not None,
        with_input_uri=input_s3_uri is not None,
        with_documents=input_documents is not None,
    )
    if problems or checked is None:
        return None
    return CheckedAnalysis(job=checked, locations=locations)


def check_switches(problems: Problems, *, network: object, encryption: object) -> None:
    """``network`` and ``encryption`` are each a switch (a bool) or a part of the caller's
    (any object with the interface's members)."""
    for prop, part, interface, fix in (
        (
            "network",
            network,
            IJobNetwork,
            "pass network=JobNetwork(...), JobNetwork.from_ids(...), True or False",
        ),
        ("encryption", encryption, IJobEncryption, "pass JobEncryption(...), True or False"),
    ):
        if isinstance(part, str | int | float):
            problems.check_bool(prop, part, also=f"or an {interface.__name__}")
        elif not isinstance(part, bool):
            problems.check_interface(prop, part, interface, fix)


def check_brought_parts(problems: Problems, *, storage: object, role: object) -> None:
    """A brought ``storage`` or ``role`` has its interface's members."""
    if storage is not None:
        problems.check_interface(
            "storage",
            storage,
            IJobStorage,
            "pass JobStorage(...) or JobStorage.from_s3_uris(...), or omit it",
        )
    if role is not None:
        problems.check_interface(
            "role",
            role,
            IDataAccessRole,
            "pass DataAccessRole(...) or DataAccessRole.from_role_arn(...), or omit it",
        )


def check_language(problems: Problems, language_code: object, job_type: JobType | None) -> None:
    """A classification job takes no language: the classifier's is used."""
    if language_code is not None and job_type is DOCUMENT_CLASSIFICATION:
        problems.add(
            "language_code",
            language_code,
            "classification jobs take no language (the classifier's is used)",
            "remove language_code=",
        )


def check_input_documents(
    problems: Problems,
    input_documents: object,
    job_type: JobType | None,
    input_format: InputFormat | str | None,
) -> None:
    """A folder that exists, whose files the job type can read in the input format; or a
    list of ``aws_s3_deployment`` sources (never paths in a list)."""
    if isinstance(input_documents, str) and not Path(input_documents).is_dir():
        problems.add(
            "input_documents",
            input_documents,
            "a folder that exists, or s3deploy sources",
            "create the folder, or pass the path of the documents' folder",
        )
    elif (
        isinstance(input_documents, str)
        and job_type is not None
        and (reading := reading_format(input_format)) is not None
    ):
        check_document_files(problems, "input_documents", input_documents, job_type.stem, reading)
    elif isinstance(input_documents, list | tuple) and any(
        isinstance(d, str) for d in input_documents
    ):
        # Paths in a list: one folder is a string, sources are s3deploy objects.
        paths = [d for d in input_documents if isinstance(d, str)]
        problems.add(
            "input_documents",
            input_documents,
            "a folder (a string), or a list of aws_s3_deployment sources",
            f"use input_documents={paths[0]!r}"
            if len(paths) == 1 == len(input_documents)
            else f"use input_documents=[s3deploy.Source.asset(p) for p in {paths!r}]",
        )


def check_removal_policy(
    problems: Problems,
    removal_policy: RemovalPolicy | None,
    *,
    with_storage: bool,
    with_both_uris: bool,
) -> None:
    """A removal policy applies to buckets the pattern makes: refused when it makes none."""
    if with_storage and removal_policy is not None:
        problems.add(
            "removal_policy",
            removal_policy,
            "removal_policy applies to the buckets the pattern makes; with storage= it makes none",
            "set the removal policy on your JobStorage instead",
        )
    elif removal_policy is not None and with_both_uris:
        problems.add(
            "removal_policy",
            removal_policy,
            "removal_policy applies to the buckets the pattern makes; with input_s3_uri "
            "and output_s3_uri it makes none (the buckets named there are yours)",
            "drop removal_policy=",
        )
    problems.check_removal_policy(removal_policy)


def check_documents_given(
    problems: Problems, *, with_storage: bool, with_input_uri: bool, with_documents: bool
) -> None:
    """No doomed job: one started on a bucket made in this deploy and left empty finds
    nothing and ends with no results. Only checked once the other props are right, so that
    it is not the first thing a mistyped prop reports; a brought storage may still get
    documents later (the job checks it at synth)."""
    if not with_storage and not with_input_uri and not with_documents and not problems:
        problems.add(
            "input_documents",
            None,
            "documents to upload when the pattern makes the input bucket: a job started "
            "on a new, empty bucket finds nothing",
            "pass input_documents='path/to/folder' (uploaded before the job starts), or "
            "input_s3_uri='s3://your-bucket/your/prefix/' where your documents already are",
        )


def job_type_of(
    problems: Problems,
    source: ModelSource | None,
    flywheel_arn: str | None,
    flywheel_model_type: object,
) -> JobType | None:
    """The job the model source starts; a flywheel's comes from ``flywheel_model_type``,
    since its ARN does not say which kind of model it trains (and synth cannot ask)."""
    allowed = " or ".join(repr(t) for t in FLYWHEEL_JOB_TYPES)
    if flywheel_arn is None:
        if flywheel_model_type is not None:
            problems.add(
                "flywheel_model_type",
                flywheel_model_type,
                "only with flywheel_arn (a recognizer or classifier ARN says which job to start)",
                "drop flywheel_model_type=",
            )
    elif source is not None and flywheel_model_type not in FLYWHEEL_JOB_TYPES:
        meant = str(flywheel_model_type).strip().upper().replace("-", "_").replace(" ", "_")
        problems.add(
            "flywheel_model_type",
            flywheel_model_type,
            f"{allowed} with flywheel_arn: a flywheel trains either kind of model and its "
            "ARN does not say which, so the pattern cannot tell which job to start",
            f"use flywheel_model_type={meant!r}"
            if meant in FLYWHEEL_JOB_TYPES
            else "pass flywheel_model_type='ENTITY_RECOGNIZER' (custom entity recognition) "
            "or 'DOCUMENT_CLASSIFIER' (custom classification): the flywheel's ModelType in "
            "the console, or from aws comprehend describe-flywheel --flywheel-arn ARN",
        )
        return None
    if source is None:
        return None
    if source.field == "FlywheelArn":
        return FLYWHEEL_JOB_TYPES[str(flywheel_model_type)]
    return ENTITIES_DETECTION if source.field == "EntityRecognizerArn" else DOCUMENT_CLASSIFICATION


def check_s3_uris(
    problems: Problems, input_s3_uri: object, output_s3_uri: object, with_storage: bool
) -> dict[str, S3Location]:
    """The locations ``input_s3_uri`` and ``output_s3_uri`` name ("input"/"output" -> its
    location), each checked as ``JobStorage`` would check its bucket and prefix, but named
    as the pattern's props, before anything is made."""
    uris = {"input": input_s3_uri, "output": output_s3_uri}
    locations: dict[str, S3Location] = {}
    for which, uri in uris.items():
        if uri is None:
            continue
        prop = f"{which}_s3_uri"
        if with_storage:
            problems.add(
                prop,
                uri,
                f"{prop} or storage=, not both: {prop} makes the pattern's storage on that "
                "location, and storage= brings one with locations of its own",
                f"drop storage= and keep {prop}= (the pattern makes what else the job "
                f"needs), or drop {prop}= and build your storage on it "
                f"(JobStorage.from_s3_uris(scope, 'Storage', {prop}=...))",
            )
            continue
        location = parse_s3_uri(problems, prop, uri)
        if location is None:
            continue
        # One input object is a valid input location too ("can point to a single file").
        single = which == "input" and is_object_key(location.prefix)
        why = None if single else prefix_problem(location.prefix)
        if why:
            fixed = S3Location(location.bucket, suggest_prefix(location.prefix, f"{which}/"))
            also = f", {OBJECT_KEY_ALLOWED}" if which == "input" else ""
            problems.add(
                prop,
                uri,
                "an S3 URI whose key prefix ends in '/' (or no key, for the whole bucket)"
                f"{also}; this one's prefix {why}",
                f"use {prop}={fixed.uri!r}",
            )
            continue
        locations[which] = location
    source, sink = locations.get("input"), locations.get("output")
    if (
        source is not None
        and sink is not None
        and source.bucket == sink.bucket
        and (source.prefix.startswith(sink.prefix) or sink.prefix.startswith(source.prefix))
    ):
        problems.add(
            "output_s3_uri",
            output_s3_uri,
            f"a location that does not overlap input_s3_uri={source.uri!r} (the job would "
            "read its own output)",
            f"use separate prefixes, e.g. input_s3_uri='s3://{source.bucket}/input/' and "
            f"output_s3_uri='s3://{source.bucket}/output/'",
        )
    return locations


def check_keys(
    problems: Problems,
    stack: Stack,
    encryption: object,
    job_keys: dict[str, kms.IKey | str | None],
    input_bucket_key: kms.IKey | str | None,
    *,
    with_input_uri: bool,
) -> None:
    """Check the console's key fields (``volume_key``, ``output_key``,
    ``input_bucket_key``) in the pattern's own prop names, before anything is made."""
    for prop, key in job_keys.items():
        if key is None:
            continue
        if encryption is False:
            problems.add(
                prop,
                key,
                f"no {prop} with encryption=False (it sends no job keys)",
                f"drop encryption=False to use {prop}=, or drop {prop}=",
            )
        elif encryption is not True:
            problems.add(
                prop,
                key,
                f"{prop} or encryption=, not both: encryption= brings the job's keys",
                f"give the key to your JobEncryption (existing_{prop}=...), or drop "
                f"encryption= and keep {prop}=",
            )
        else:
            resolve_key(problems, stack, prop, key, aliases=prop == "output_key")
    if input_bucket_key is None:
        return
    if not with_input_uri:
        problems.add(
            "input_bucket_key",
            input_bucket_key,
            "the key of the objects at input_s3_uri; without input_s3_uri the pattern "
            "makes the input bucket (or storage= brings it) and knows its key",
            "pass input_s3_uri='s3://your-bucket/your/prefix/' too, or drop "
            "input_bucket_key= (with storage=, give it to JobStorage.from_s3_uris)",
        )
    else:
        resolve_key(problems, stack, "input_bucket_key", input_bucket_key, aliases=True)
