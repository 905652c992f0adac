"""The console's own rules (``comprehend_jobs.console``): what a command-line user can act
on. A construct's error names its Python prop (``existing_volume_key=``) and offers Python
fixes (``env=Environment(...)``); the console's user typed a context key and can change
only keys and the shell's environment, so these rules speak in those terms.

Each function returns the problem's message (without the console's closing hint), or None.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from comprehend_jobs._private.s3_routes import s3_route_warning
from comprehend_jobs.errors import PropValidationError

#: A construct prop the console sets -> the context key its value came from.
PROP_KEYS: dict[str, str] = {
    "recognizer_arn": "recognizer_arn",
    "classifier_arn": "classifier_arn",
    "flywheel_arn": "flywheel_arn",
    "flywheel_model_type": "flywheel_model_type",
    "existing_volume_key": "volume_kms_key_id",
    "existing_output_key": "output_kms_key_id",
    "volume_key": "volume_kms_key_id",
    "output_key": "output_kms_key_id",
    "input_bucket_key": "input_kms_key_id",
    "input_s3_uri": "input_s3_uri",
    "output_s3_uri": "output_s3_uri",
    "input_documents": "input_documents",
    "input_format": "input_format",
    "document_reader": "document_read_action",
    "read_action": "document_read_action",
    "read_mode": "document_read_mode",
    "feature_types": "feature_types",
    "subnet_ids": "subnet_ids",
    "security_group_ids": "security_group_ids",
    "encryption": "encryption",
    "network": "vpc",
    "job_name": "job_name",
    "tags": "tags",
    "wait_for_completion": "wait_for_completion",
    "rerun_token": "rerun_token",
}
#: ``prop=`` (optionally followed by a Python enum class, ``InputFormat.``) in a fix.
_PROP_ASSIGNMENT = re.compile(
    r"\b(" + "|".join(sorted(PROP_KEYS, key=len, reverse=True)) + r")=(?:[A-Z][A-Za-z]+\.)?"
)
#: A bare prop name in a message.
_PROP_NAME = re.compile(r"\b(" + "|".join(sorted(PROP_KEYS, key=len, reverse=True)) + r")\b")
#: ``-c key=['a', 'b']`` and ``-c key='a'`` in a translated fix.
_LIST_VALUE = re.compile(r"-c (\w+)=\[((?:'[^']*'(?:, )?)*)\]")
_STRING_VALUE = re.compile(r"-c (\w+)='([^'\s]*)'")
#: The stacks the CDK CLI bundles assets for: ``[]`` for the commands that only read the
#: app's stacks and their environments (bootstrap, ls, destroy), ``["**"]`` (or the named
#: stacks) for synth, diff and deploy. CDK's ``Stack.bundling_required`` reads it too.
BUNDLING_STACKS = "aws:cdk:bundling-stacks"
#: The Region of a Comprehend ARN.
_ARN_REGION = re.compile(r"^arn:[^:]+:comprehend:([a-z0-9-]+):")


def as_context_problems(error: PropValidationError) -> list[str] | None:
    """``error``'s problems with each prop renamed to the context key the user typed and
    each Python fix (``prop=Enum.MEMBER``) written as ``-c key=MEMBER``; None when a
    problem is about a prop no context key sets (its message is then kept as it is)."""
    problems = []
    for problem in error.problems:
        prop, _, rest = problem.partition("=")
        if prop not in PROP_KEYS:
            return None
        rest = _PROP_ASSIGNMENT.sub(lambda m: f"-c {PROP_KEYS[m.group(1)]}=", rest)
        rest = _PROP_NAME.sub(lambda m: PROP_KEYS[m.group(1)], rest)
        # Python literals as the shell takes them: a list comma-separated, a string bare.
        rest = _LIST_VALUE.sub(_comma_separated, rest)
        rest = _STRING_VALUE.sub(lambda m: f"-c {m.group(1)}={m.group(2)}", rest)
        problems.append(f"context key {PROP_KEYS[prop]!r}={rest}")
    return problems


def bundling(context: Mapping[str, Any]) -> bool:
    """Whether the CDK CLI runs the app for synth, diff or deploy (it bundles assets then),
    not only to list its stacks (bootstrap, ls, destroy). Outside the CLI: True."""
    stacks = context.get(BUNDLING_STACKS)
    return not (isinstance(stacks, list) and not stacks)


def _comma_separated(match: re.Match[str]) -> str:
    items = re.findall(r"'([^']*)'", match.group(2))
    return f"-c {match.group(1)}={','.join(items)}"


def model_region_problem(key: str, arn: str, region: str | None) -> str | None:
    """The problem with a model (or flywheel) ARN of another Region than the one the CDK
    CLI deploys to (``region``, from the shell's ``AWS_REGION`` or the profile): the fix is
    the Region to set, which a command-line user can do (a Python ``env=`` is not)."""
    match = _ARN_REGION.match(arn)
    if region is None or match is None or match.group(1) == region:
        return None
    model_region = match.group(1)
    return (
        f"context key {key!r}={arn!r} is not valid here: it names a model in "
        f"{model_region}, and this deployment targets {region} (Comprehend runs a job only "
        f"with a model of its own Region). Fix: deploy to {model_region}: run the command "
        f"with AWS_REGION={model_region} (e.g. `export AWS_REGION={model_region}`, which "
        "wins over the profile's Region), or with --profile NAME of a profile whose region "
        f"is {model_region}; bootstrap that Region once (`AWS_REGION={model_region} npx "
        f"cdk bootstrap`); or give a model trained in {region}"
    )


#: The S3-route warning's fix for a command-line user, who vouches with a context key, not
#: JobNetwork's ``s3_gateway_endpoint`` prop.
S3_ROUTE_FIX = (
    "vouch for them with -c subnets_reach_s3=true (it asserts that the route tables of "
    "subnet_ids reach S3 through an S3 gateway endpoint or a NAT gateway route)"
)


def s3_route_problem(subnet_ids: Sequence[str]) -> str:
    """The ``comprehend-jobs:s3-route`` warning for the subnets of ``-c subnet_ids``, whose
    routes cannot be seen at synth, with the fix in context terms: the construct's own
    warning offers its Python prop (``s3_gateway_endpoint=False``), which the app's user
    cannot set."""
    return s3_route_warning(subnet_ids, S3_ROUTE_FIX)
