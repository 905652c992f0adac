"""The option space the public API accepts, as data: each dimension and its values.

A composition picks one value of every dimension. ``builder`` turns it into an App
through ``comprehend_jobs``' exports alone; the meaning of each value is written here, next
to it. A few combinations cannot be written with the API at all (``excluded`` says which
and why): the covering design leaves them out. Everything else is generated, including
what the library refuses on purpose (the runner checks each refusal names a prop).
"""

from __future__ import annotations

from collections.abc import Mapping

#: Dimension -> its values, each with what it means (the builder's reading of it).
DIMENSIONS: dict[str, dict[str, str]] = {
    "form": {
        "pattern": "ComprehendAnalysis, one line per analysis",
        "blocks": "JobStorage, JobEncryption, JobNetwork, DataAccessRole and a job class",
    },
    "model": {
        "recognizer": "custom entity recognition on a recognizer version",
        "flywheel_entities": "custom entity recognition on a flywheel's active model",
        "classifier": "custom classification on a classifier version",
        "flywheel_classifier": "custom classification on a flywheel's active model",
        "language": "dominant language detection",
        "key_phrases": "key phrase detection",
        "sentiment": "sentiment detection",
        "targeted_sentiment": "targeted sentiment detection",
        "pii": "PII entity detection (no VPC, no volume key: the API has neither)",
        "topics": "topic modeling (closed to new customers: a synth warning)",
        "events": "event detection (closed to new customers; no VPC, no volume key)",
    },
    "wait": {
        "no": "wait_for_completion=False",
        "yes": "wait_for_completion=True (the waiter state machine)",
    },
    "input": {
        "made": "a new input bucket (documents are uploaded into it, or it is refused)",
        "bucket_key": "a brought bucket object that knows its key (from_bucket_attributes)",
        "bucket": "a brought bucket object without a key (from_bucket_name)",
        "uri": "an existing bucket by URI (input_s3_uri), objects not SSE-KMS",
        "name_key": "an existing SSE-KMS bucket by URI with input_bucket_key",
    },
    "input_key": {
        "arn": "a key ARN of the stack's account (the brought input's key, as its owner set it)",
        "same_app": "a kms.Key of the same app",
        "key_id": "a key ID of the stack's account (input_bucket_key only: not an IKey)",
        "alias": "alias/NAME (kms.Alias.from_alias_name for a bucket object)",
        "alias_arn": "an alias ARN (input_bucket_key only)",
        "foreign_arn": "a key ARN of another account",
    },
    "output": {
        "made": "a new output bucket",
        "bucket_key": "a brought bucket object whose default encryption is a KMS key",
        "bucket": "a brought bucket object without a key",
        "uri": "an existing bucket by URI (output_s3_uri)",
    },
    "volume_key": {
        "made": "the library makes it",
        "same_app": "a kms.Key of the same app",
        "key_id": "a key ID of the stack's account",
        "alias": "alias/NAME (the API takes no alias for the volume: refused)",
        "alias_arn": "an alias ARN (refused for the volume, as alias)",
        "foreign_arn": "a key ARN of another account",
        "none": "no volume key (volume_encryption=False)",
    },
    "output_key": {
        "made": "the library makes it",
        "same_app": "a kms.Key of the same app",
        "key_id": "a key ID of the stack's account",
        "alias": "alias/NAME of the stack's account",
        "alias_arn": "an alias ARN of the stack's account",
        "foreign_arn": "a key ARN of another account",
        "none": "no output key (output_encryption=False)",
    },
    "log_key": {
        "made": "the library makes the handler's log key",
        "same_app": "a kms.Key of the same app (its policy gets the logs statement)",
        "imported": "kms.Key.from_key_arn of the stack's account (a warning: its owner adds "
        "the statement)",
        "alias": "kms.Alias.from_alias_name",
        "foreign": "kms.Key.from_key_arn of another account",
    },
    "flow_log_key": {
        "default": "not given: the made network's own key (the pattern: the log key)",
        "log_key": "the stack's log key (JobHandler.of(stack).log_key when the library made it)",
        "same_app": "a kms.Key of the same app of its own",
        "imported": "kms.Key.from_key_arn of the stack's account (a warning)",
        "foreign": "kms.Key.from_key_arn of another account (a warning)",
    },
    "network": {
        "none": "outside any VPC",
        "made": "a VPC the library makes",
        "vpc_s3": "a same-app ec2.Vpc with an S3 gateway endpoint",
        "vpc_bare": "a same-app isolated ec2.Vpc without a route to S3",
        "from_ids": "JobNetwork.from_ids (subnets and groups by ID: a route warning)",
        "lookup": "ec2.Vpc.from_lookup (the lookup's answer in the app's context)",
    },
    "role": {
        "made": "one DataAccessRole per job (the pattern's own)",
        "shared": "one DataAccessRole shared by two jobs (blocks) or two analyses (pattern)",
        "imported": "DataAccessRole.from_role_arn (a warning: its owner adds the statements)",
    },
    "jobs": {
        "1": "one job (or analysis) in the stack",
        "2": "two jobs (or analyses) in the stack",
    },
    "uploads": {
        "0": "no documents uploaded (a made input bucket is then refused)",
        "1": "the job's documents uploaded into its input location",
        "2": "those, and a JobStorage with documents of its own and no job",
    },
    "place": {
        "plain": "a Stack of the App",
        "stage": "a Stack inside a Stage",
        "nested": "a NestedStack; what the platform brings is in its parent",
    },
    "partition": {
        "aws": "us-east-1",
        "aws-cn": "cn-north-1",
        "aws-us-gov": "us-gov-west-1",
        "agnostic": "an env-agnostic stack (no account or Region)",
    },
}

#: The model values ``ComprehendAnalysis`` takes (the built-in types are job classes only).
PATTERN_MODELS = frozenset({"recognizer", "flywheel_entities", "classifier", "flywheel_classifier"})


def excluded(assignment: Mapping[str, str]) -> str | None:
    """Why ``assignment`` (a partial composition) cannot be written with the API at all,
    or None. Only these are left out: what the API accepts and then refuses is generated."""
    given = assignment
    assignment = implied(assignment)
    form, model = assignment.get("form"), assignment.get("model")
    if form == "pattern" and model is not None and model not in PATTERN_MODELS:
        return "ComprehendAnalysis takes a recognizer, classifier or flywheel only"
    if given.get("role") == "shared" and assignment.get("jobs") == "1":
        return "a role shared by two jobs needs two jobs"
    input_key = assignment.get("input_key", "arn")
    if input_key != "arn" and assignment.get("input", "name_key") not in ("name_key", "bucket_key"):
        return "only a brought SSE-KMS input has a key to give"
    if input_key in ("key_id", "alias_arn") and assignment.get("input") == "bucket_key":
        return "a bucket object's encryption_key is an IKey (no key ID or alias ARN string)"
    flow_log_key = given.get("flow_log_key", "default")
    if flow_log_key != "default" and assignment.get("form") != "blocks":
        return "ComprehendAnalysis has no flow_log_key (its VPC's flow logs use the log key)"
    if flow_log_key != "default" and assignment.get("network") != "made":
        return "flow_log_key is a prop of the network JobNetwork makes"
    if assignment.get("network") == "lookup" and assignment.get("partition") == "agnostic":
        return "ec2.Vpc.from_lookup needs the stack's account and Region (aws-cdk-lib raises)"
    return None


#: What the library refuses on purpose: each fault (the values that make it) -> the props
#: its refusal may name, and why it is refused. A composition holds at most one fault.
FAULTS: tuple[tuple[dict[str, str], tuple[str, ...], str], ...] = (
    *(
        (
            {"volume_key": form},
            ("volume_key", "existing_volume_key"),
            "Comprehend's VolumeKmsKeyId takes a key ID or key ARN, never an alias",
        )
        for form in ("alias", "alias_arn")
    ),
    *(
        (
            {"model": model, "network": network},
            ("network",),
            "the PII and events APIs have no VpcConfig: a network would be dropped",
        )
        for model in ("pii", "events")
        for network in ("made", "vpc_s3", "vpc_bare", "from_ids", "lookup")
    ),
    (
        {"input": "bucket_key", "input_key": "alias"},
        ("existing_input_bucket",),
        "a bucket object whose encryption_key is an alias: the role's grant would name the "
        "alias ARN, which IAM never matches (give the key's ARN, or input_bucket_key)",
    ),
    (
        {"input": "made", "uploads": "0"},
        ("input_documents", "storage"),
        "a job on a new, empty input bucket would find nothing (no doomed job)",
    ),
)


def implied(assignment: Mapping[str, str]) -> dict[str, str]:
    """``assignment`` with the values its other values force (a flow-log key of its own
    means blocks in a made network; a shared role, two jobs): so a partial composition
    that can only be completed into a fault is known for one at once."""
    full = dict(assignment)
    if full.get("flow_log_key", "default") != "default":
        full.setdefault("network", "made")
        full.setdefault("form", "blocks")
    if full.get("role") == "shared":
        full.setdefault("jobs", "2")
    return full


def faults(
    assignment: Mapping[str, str],
) -> list[tuple[dict[str, str], tuple[str, ...], str]]:
    """Every fault a (partial) composition holds."""
    assignment = implied(assignment)
    return [
        (values, props, why)
        for values, props, why in FAULTS
        if all(assignment.get(k) == v for k, v in values.items())
    ]


def fault(assignment: Mapping[str, str]) -> tuple[dict[str, str], tuple[str, ...], str] | None:
    """The first fault a (partial) composition holds, or None (then it must synthesize)."""
    found = faults(assignment)
    return found[0] if found else None


def names() -> list[str]:
    """The dimensions, in order."""
    return list(DIMENSIONS)


def values(dimension: str) -> list[str]:
    """The values of one dimension, in order."""
    return list(DIMENSIONS[dimension])
