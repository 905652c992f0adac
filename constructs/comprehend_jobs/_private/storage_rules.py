"""The rules ``JobStorage``'s props must pass, each a named function.

``check_storage`` runs them in the order a user reads the problems and returns what the
storage builds from; ``JobStorage``'s constructor reads "check, then build".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import RemovalPolicy, Stack, Token
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from comprehend_jobs._private.input_documents import check_documents
from comprehend_jobs._private.key_rules import resolve_key
from comprehend_jobs._private.prefix_rules import (
    DEFAULT_INPUT_PREFIX,
    DEFAULT_OUTPUT_PREFIX,
    check_prefix,
    is_object_key,
)
from comprehend_jobs._private.validation import Problems
from comprehend_jobs.encryption import KeyReference
from comprehend_jobs.interfaces import IJobEncryption

if TYPE_CHECKING:
    # Annotations only: aws_s3_deployment is loaded where documents are uploaded
    # (_private/input_documents.py), so an app that uploads none never loads it.
    from aws_cdk import aws_s3_deployment as s3deploy


@dataclass(frozen=True)
class CheckedStorage:
    """What ``JobStorage`` builds from once its rules passed."""

    #: The job keys whose output key encrypts created buckets, or None.
    encryption: IJobEncryption | None
    #: The brought input bucket's key given as ``input_bucket_key``, or None.
    input_bucket_key: KeyReference | None
    #: Whether created buckets are emptied on deletion (False when the prop was no bool).
    auto_delete_objects: bool
    #: Whether the storage creates a bucket (input or output).
    creates_any: bool


def is_bucket(value: object) -> bool:
    """Whether ``value`` has an ``IBucket``'s members."""
    return hasattr(value, "bucket_arn") and hasattr(value, "bucket_name")


def check_storage(
    problems: Problems,
    stack: Stack,
    *,
    encryption: IJobEncryption | None,
    existing_input_bucket: s3.IBucket | None,
    existing_output_bucket: s3.IBucket | None,
    input_prefix: str,
    output_prefix: str,
    existing_access_log_bucket: s3.IBucket | None,
    removal_policy: RemovalPolicy | None,
    auto_delete_objects: bool,
    input_bucket_key: kms.IKey | str | None,
    input_documents: str | Sequence[s3deploy.ISource] | None,
) -> CheckedStorage:
    """Every rule of ``JobStorage``'s props; its values count once ``problems`` is empty."""
    if input_documents is not None:
        check_documents(problems, "input_documents", input_documents)
    if not problems.check_bool("auto_delete_objects", auto_delete_objects):
        auto_delete_objects = False
    input_key_ref = check_input_bucket_key(
        problems, stack, input_bucket_key, with_input_bucket=existing_input_bucket is not None
    )
    if encryption is not None and not problems.check_interface(
        "encryption",
        encryption,
        IJobEncryption,
        "pass encryption=JobEncryption(...), or omit it for a key of the storage's own",
    ):
        encryption = None
    check_brought_buckets(
        problems,
        stack,
        {
            "existing_input_bucket": existing_input_bucket,
            "existing_output_bucket": existing_output_bucket,
            "existing_access_log_bucket": existing_access_log_bucket,
        },
    )
    check_prefixes(problems, input_prefix, output_prefix)
    creates_any = existing_input_bucket is None or existing_output_bucket is None
    check_created_bucket_props(
        problems,
        creates_any=creates_any,
        existing_access_log_bucket=existing_access_log_bucket,
        removal_policy=removal_policy,
        auto_delete_objects=auto_delete_objects,
    )
    problems.check_removal_policy(removal_policy)
    check_no_overlap(
        problems, existing_input_bucket, existing_output_bucket, input_prefix, output_prefix
    )
    return CheckedStorage(
        encryption=encryption,
        input_bucket_key=input_key_ref,
        auto_delete_objects=auto_delete_objects,
        creates_any=creates_any,
    )


def check_input_bucket_key(
    problems: Problems,
    stack: Stack,
    input_bucket_key: kms.IKey | str | None,
    *,
    with_input_bucket: bool,
) -> KeyReference | None:
    """The key of a brought input bucket's objects, in a form S3 and IAM take; only with
    ``existing_input_bucket`` (a created bucket's key is known)."""
    if input_bucket_key is None:
        return None
    if not with_input_bucket:
        problems.add(
            "input_bucket_key",
            input_bucket_key,
            "the key of a brought input bucket; the input bucket this construct "
            "creates is encrypted with a key it knows",
            "drop input_bucket_key, or pass existing_input_bucket too",
        )
        return None
    return resolve_key(problems, stack, "input_bucket_key", input_bucket_key, aliases=True)


def check_brought_buckets(
    problems: Problems, stack: Stack, buckets: dict[str, s3.IBucket | None]
) -> None:
    """Each brought bucket is an ``IBucket``; the input and output buckets are in the
    stack's Region when both are known (Comprehend reads and writes only same-Region
    buckets; access logs may go anywhere)."""
    for prop, bucket in buckets.items():
        if bucket is None:
            continue
        if not is_bucket(bucket):
            problems.add(prop, bucket, "an s3.IBucket", "pass s3.Bucket.from_bucket_name(...)")
            continue
        if prop != "existing_access_log_bucket" and _key_is_alias(bucket.encryption_key):
            # The role's grant on the bucket's key names the key's ARN; an alias's ARN
            # never matches a request on the key behind it, so the job could not read or
            # write the SSE-KMS objects.
            problems.add(
                prop,
                bucket,
                "a bucket imported with its key itself (a kms.IKey with a key ARN), not an "
                "alias: IAM matches kms:Decrypt and kms:GenerateDataKey against the key's "
                "ARN, never an alias ARN",
                "import the bucket with encryption_key=kms.Key.from_key_arn(...)"
                + (
                    ", or with no encryption_key and input_bucket_key='alias/NAME' (the "
                    "role is then granted the key through its alias)"
                    if prop == "existing_input_bucket"
                    else ""
                ),
            )
        region = bucket.env.region
        if (
            prop != "existing_access_log_bucket"
            and not Token.is_unresolved(region)
            and not Token.is_unresolved(stack.region)
            and region != stack.region
        ):
            problems.add(
                prop,
                f"{bucket.bucket_name} in {region}",
                f"a bucket in the stack's Region {stack.region} (Comprehend reads and "
                "writes only same-Region buckets)",
                f"use a bucket in {stack.region}, or deploy the stack to {region}",
            )


def _key_is_alias(key: object) -> bool:
    """True for a key object that is an alias (``kms.Alias``, ``Alias.from_alias_name``)."""
    if key is None:
        return False
    try:
        return hasattr(key, "alias_name") or ":alias/" in str(getattr(key, "key_arn", ""))
    except Exception:  # a key object that cannot say: left to the grant
        return False


def check_prefixes(problems: Problems, input_prefix: object, output_prefix: object) -> None:
    """Both prefixes are key prefixes ending in ``/`` (or ``""``); the input may also be
    one object (the API's S3Uri "can point to a single file")."""
    for prop, prefix, fallback in (
        ("input_prefix", input_prefix, DEFAULT_INPUT_PREFIX),
        ("output_prefix", output_prefix, DEFAULT_OUTPUT_PREFIX),
    ):
        if prop != "input_prefix" or not is_object_key(prefix):
            check_prefix(problems, prop, prefix, fallback)


def check_created_bucket_props(
    problems: Problems,
    *,
    creates_any: bool,
    existing_access_log_bucket: s3.IBucket | None,
    removal_policy: RemovalPolicy | None,
    auto_delete_objects: bool,
) -> None:
    """The props of created buckets only with a bucket to create; emptying on deletion
    only with ``RemovalPolicy.DESTROY``."""
    if not creates_any:
        for prop, value, default in (
            ("existing_access_log_bucket", existing_access_log_bucket, None),
            ("removal_policy", removal_policy, None),
            ("auto_delete_objects", auto_delete_objects, False),
        ):
            if value != default:
                problems.add(
                    prop,
                    value,
                    f"{prop} applies only to buckets this construct creates, and it "
                    "creates none when both existing buckets are given",
                    f"drop {prop}",
                )
    elif auto_delete_objects and removal_policy != RemovalPolicy.DESTROY:
        problems.add(
            "auto_delete_objects",
            auto_delete_objects,
            "auto_delete_objects=True needs removal_policy=RemovalPolicy.DESTROY",
            "pass removal_policy=RemovalPolicy.DESTROY too, or drop auto_delete_objects",
        )


def check_no_overlap(
    problems: Problems,
    existing_input_bucket: s3.IBucket | None,
    existing_output_bucket: s3.IBucket | None,
    input_prefix: object,
    output_prefix: object,
) -> None:
    """In one bucket, the input and output prefixes do not overlap (the job would read
    its own output). Two buckets are compared only when both are buckets
    (``check_brought_buckets`` names the others)."""
    same_bucket = (
        existing_input_bucket is not None
        and is_bucket(existing_input_bucket)
        and (
            existing_input_bucket is existing_output_bucket
            or (
                existing_output_bucket is not None
                and is_bucket(existing_output_bucket)
                and not Token.is_unresolved(existing_input_bucket.bucket_name)
                and existing_input_bucket.bucket_name == existing_output_bucket.bucket_name
            )
        )
    )
    if (
        same_bucket
        and isinstance(input_prefix, str)
        and isinstance(output_prefix, str)
        and not Token.is_unresolved(input_prefix)
        and not Token.is_unresolved(output_prefix)
        and (input_prefix.startswith(output_prefix) or output_prefix.startswith(input_prefix))
    ):
        problems.add(
            "output_prefix",
            output_prefix,
            f"a prefix that does not overlap input_prefix={input_prefix!r} in the same "
            "bucket (the job would read its own output)",
            "use separate prefixes such as 'input/' and 'output/'",
        )
