"""The library's one table of cdk-nag acknowledgment kinds.

Every finding the library cannot fix is acknowledged through ``acknowledge()`` with one of
the kinds below, on the narrowest construct that holds the finding (never a stack or an
app). A kind names the exact rule ids it covers, the finding details it applies to
(cdk-nag v3 reports IAM wildcard findings per resource, ``AwsSolutions-IAM5[Resource::*]``)
and the reason an auditor reads. The table is small on purpose (at most 10 kinds for the
whole library) and importable, so a compliance test can list it as an inventory.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
from constructs import IConstruct

#: The four rule packs the library is checked against (cdk-nag pack name prefixes).
PACKS: tuple[str, ...] = ("AwsSolutions", "HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")

#: Upper bound on the number of kinds the whole library may have.
MAX_KINDS = 10


@dataclass(frozen=True)
class AcknowledgmentKind:
    """One reason the library accepts a cdk-nag finding, and the findings it covers."""

    #: Short stable name (the key in ``ACKNOWLEDGMENT_KINDS``).
    name: str
    #: The finding ids this kind covers, exactly as cdk-nag reports them: ``rule`` or
    #: ``rule[detail]``. ``{}`` in a detail stands for the part only known at the call
    #: site (a bucket ARN), given to ``acknowledge(applies_to=...)``.
    findings: tuple[str, ...]
    #: Why the findings are accepted (shown in audit trails).
    reason: str

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The rule ids (without finding details), in order, without repeats."""
        return tuple(dict.fromkeys(f.split("[", 1)[0] for f in self.findings))

    @property
    def applies_to(self) -> tuple[str, ...]:
        """The finding details (``Resource::*``); empty when the rules have none."""
        return tuple(f.split("[", 1)[1][:-1] for f in self.findings if "[" in f)

    @property
    def needs_applies_to(self) -> bool:
        """Whether a call site must give the exact detail."""
        return any("{}" in f for f in self.findings)


def _kind(name: str, findings: Sequence[str], reason: str) -> AcknowledgmentKind:
    return AcknowledgmentKind(name, tuple(findings), reason)


def _all_packs(rule: str) -> list[str]:
    """The HIPAA, NIST 800-53 R5 and PCI DSS 3.2.1 ids of one shared rule name."""
    return [f"{pack}-{rule}" for pack in PACKS[1:]]


NO_RESOURCE_LEVEL_PERMISSIONS = _kind(
    "NO_RESOURCE_LEVEL_PERMISSIONS",
    ["AwsSolutions-IAM5[Resource::*]"],
    "Only actions for which AWS offers no narrower resource use Resource '*': the nine EC2 "
    "actions Amazon Comprehend documents for jobs in a VPC (create/delete network "
    "interfaces and their permissions, describe network interfaces, VPCs, DHCP options, "
    "subnets and security groups: the ENIs do not exist before the job starts and the "
    "Describe actions support no resource-level permissions), and, only for image or "
    "scanned-PDF input, textract:DetectDocumentText and textract:AnalyzeDocument, which "
    "support no resource-level permissions either. For the job handler, the nine "
    "comprehend:List<Type>Jobs actions (it finds a job by its name before starting one), "
    "which authorize no resource type. For a waiter state machine, CloudWatch "
    "Logs log delivery and X-Ray trace actions, which AWS documents with Resource '*'.",
)

S3_JOB_DATA_PREFIX = _kind(
    "S3_JOB_DATA_PREFIX",
    ["AwsSolutions-IAM5[Resource::{}]"],
    "Comprehend reads every object under the input prefix and writes job-named objects "
    "under the output prefix; object names are only known when the job runs, so the "
    "grant is on exactly '<bucket>/<prefix>*' for the one prefix the job uses.",
)

KMS_OUTPUT_KEY_ALIAS = _kind(
    "KMS_OUTPUT_KEY_ALIAS",
    ["AwsSolutions-IAM5[Resource::{}]"],
    "The output key was given as a KMS alias, which names no key ARN at synth time; IAM "
    "cannot use an alias ARN as a key resource, so the grant is on the account's "
    "'key/*' and restricted by a kms:ResourceAliases condition to that one alias.",
)

ACCESS_LOG_BUCKET = _kind(
    "ACCESS_LOG_BUCKET",
    _all_packs("S3DefaultEncryptionKMS"),
    "This is the server access log destination bucket: S3 server access logging only "
    "delivers to buckets encrypted with SSE-S3 (AES256), never SSE-KMS. The bucket is "
    "TLS-only, versioned, blocks all public access and enforces object ownership.",
)

S3_REPLICATION = _kind(
    "S3_REPLICATION",
    _all_packs("S3BucketReplicationEnabled"),
    "Cross-Region replication needs a second bucket in another Region and a replication "
    "role, which a Comprehend job (same-Region input and output) does not need; the data "
    "is versioned, retained by default and can be re-created by re-running the job. "
    "Replicate at the account level if your policy requires it.",
)

COMPREHEND_JOB_IDS = _kind(
    "COMPREHEND_JOB_IDS",
    ["AwsSolutions-IAM5[Resource::{}]"],
    "Comprehend generates a job's ID when the job starts, so Start, Describe, Stop and the "
    "job handler's tag actions (ListTagsForResource, TagResource, UntagResource) can only "
    "be granted on '<job-type>-job/*' of this account and Region (the resource the Service "
    "Authorization Reference names for these actions). Start is granted for the job types "
    "the stack uses; Describe, Stop and the tag actions for every job type, because "
    "CloudFormation deletes a removed job after the policy update (a grant per used type "
    "would be gone when the last job of a type is deleted, and StopOnDelete could not stop "
    "it), and a rollback may return to a job of a type the updated stack no longer uses, "
    "which the handler finds by its key tag and re-tags.",
)

DEPLOY_TIME_FUNCTIONS = _kind(
    "DEPLOY_TIME_FUNCTIONS",
    [
        *_all_packs("LambdaInsideVPC"),
        "HIPAA.Security-LambdaConcurrency",
        "NIST.800.53.R5-LambdaConcurrency",
        "HIPAA.Security-LambdaDLQ",
        "NIST.800.53.R5-LambdaDLQ",
    ],
    "The custom-resource functions run only while CloudFormation deploys the stack: they "
    "call the Comprehend API (and, with input_documents, copy the given documents between "
    "two S3 buckets) and answer CloudFormation, so a VPC would only add a NAT gateway or "
    "interface endpoints (idle cost) and protect nothing the buckets' own policies do not. "
    "Reserved concurrency fails to deploy in accounts with the default low concurrency "
    "quota, and a few calls per deployment cannot exhaust the account's. A "
    "failure is reported to CloudFormation, which fails the deployment: a dead-letter "
    "queue would hold nothing anyone acts on.",
)

PROVIDER_FRAMEWORK_INVOKE = _kind(
    "PROVIDER_FRAMEWORK_INVOKE",
    ["AwsSolutions-IAM5[Resource::{}]"],
    "aws-cdk-lib's custom resource Provider grants lambda:InvokeFunction on a function "
    "and its versions ('<function ARN>:*') with grantInvoke, and has no prop to narrow it: "
    "its waiter state machine's role on the Provider's own two framework functions, and "
    "the framework functions' roles on the library's handler functions, which the "
    "framework runtime invokes. It names no function outside the Provider and the handler.",
)

INPUT_DOCUMENTS_UPLOAD = _kind(
    "INPUT_DOCUMENTS_UPLOAD",
    [
        *(
            f"AwsSolutions-IAM5[Action::{action}]"
            for action in (
                "kms:GenerateDataKey*",
                "kms:ReEncrypt*",
                "s3:Abort*",
                "s3:DeleteObject*",
                "s3:GetBucket*",
                "s3:GetObject*",
                "s3:List*",
            )
        ),
        "AwsSolutions-IAM5[Resource::{}]",
        "AwsSolutions-L1",
    ],
    "Only with input_documents: aws-cdk-lib's BucketDeployment copies the documents from "
    "the CDK asset bucket (hash-named objects) into the input bucket at deploy time. It "
    "grants itself CDK's standard read and read/write action groups on those two "
    "buckets and picks its function's runtime; it has no props for either. Its role is "
    "ours (no AWS managed policy) and its grants are kept in a managed policy.",
)

#: Every kind, keyed by name. Iterate it for the inventory.
ACKNOWLEDGMENT_KINDS: dict[str, AcknowledgmentKind] = {
    k.name: k
    for k in (
        NO_RESOURCE_LEVEL_PERMISSIONS,
        S3_JOB_DATA_PREFIX,
        KMS_OUTPUT_KEY_ALIAS,
        ACCESS_LOG_BUCKET,
        S3_REPLICATION,
        COMPREHEND_JOB_IDS,
        DEPLOY_TIME_FUNCTIONS,
        PROVIDER_FRAMEWORK_INVOKE,
        INPUT_DOCUMENTS_UPLOAD,
    )
}


def acknowledge(
    scope: IConstruct,
    kind: AcknowledgmentKind | str,
    *,
    applies_to: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
) -> list[str]:
    """Acknowledge the findings of ``kind`` on ``scope`` (and only its subtree).

    ``applies_to`` fills the ``{}`` of a kind whose detail depends on the template
    (``<Bucket.Arn>/input/*``): one acknowledgment per value, nothing broader.
    ``only`` narrows the kind to some of its rule ids (a resource that has just those
    findings). Returns the exact ids acknowledged.
    """
    k = ACKNOWLEDGMENT_KINDS[kind] if isinstance(kind, str) else kind
    if ACKNOWLEDGMENT_KINDS.get(k.name) is not k:
        raise ValueError(f"acknowledge: kind {k.name!r} is not in ACKNOWLEDGMENT_KINDS")
    findings = list(k.findings)
    if only is not None:
        unknown = [r for r in only if r not in k.rule_ids]
        if unknown:
            raise ValueError(f"acknowledge: {unknown} are not rules of kind {k.name}")
        findings = [f for f in findings if f.split("[", 1)[0] in only]
    # Whether a detail is needed depends on the findings kept, not the whole kind.
    needs_applies_to = any("{}" in f for f in findings)
    if needs_applies_to and not applies_to:
        raise ValueError(f"acknowledge: kind {k.name} needs applies_to (the exact detail)")
    if not needs_applies_to and applies_to:
        raise ValueError(f"acknowledge: kind {k.name} takes no applies_to")
    if applies_to and any(not a or a == "*" for a in applies_to):
        raise ValueError(f"acknowledge: applies_to={list(applies_to)!r} is too broad")
    ids: list[str] = []
    for finding in findings:
        if "{}" in finding:
            ids.extend(finding.replace("{}", detail) for detail in applies_to or ())
        else:
            ids.append(finding)
    _validations(scope).acknowledge(*(Acknowledgment(id=i, reason=k.reason) for i in ids))
    return ids


#: ``Validations.of`` by scope. It is a round trip into jsii that only wraps the scope
#: (``new Validations(scope)``, nothing kept), and the library acknowledges on many of
#: its constructs more than once; weak, so a scope's entry goes with the scope.
_VALIDATIONS: weakref.WeakKeyDictionary[IConstruct, Validations] = weakref.WeakKeyDictionary()


def _validations(scope: IConstruct) -> Validations:
    try:
        validations = _VALIDATIONS.get(scope)
    except TypeError:  # a scope that takes no weak reference: looked up every time
        return Validations.of(scope)
    if validations is None:
        validations = _VALIDATIONS[scope] = Validations.of(scope)
    return validations


def flatten_reference(value: Any) -> str:
    """A resolved CloudFormation value as cdk-nag prints it in finding details.

    Mirrors cdk-nag's ``flattenCfnReference``: ``Ref`` becomes ``<Id>``, ``Fn::GetAtt``
    ``<Id.Attr>``, ``Fn::Join`` is joined, ``${X}`` in strings becomes ``<X>``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("${", "<").replace("}", ">")
    if isinstance(value, dict):
        if "Fn::Join" in value:
            delimiter, items = value["Fn::Join"]
            return str(delimiter).join(flatten_reference(i) for i in items)
        if "Fn::Sub" in value:
            return flatten_reference(value["Fn::Sub"])
        if "Fn::GetAtt" in value:
            resource, attribute = value["Fn::GetAtt"]
            return f"<{flatten_reference(resource)}.{flatten_reference(attribute)}>"
        if "Fn::ImportValue" in value:
            return flatten_reference(value["Fn::ImportValue"])
        if "Ref" in value:
            return f"<{flatten_reference(value['Ref'])}>"
    return json.dumps(value, separators=(",", ":"))


def resource_detail(scope: IConstruct, resource: str) -> str:
    """The ``Resource::`` detail cdk-nag reports for an IAM resource string (tokens ok).

    ``scope`` may be the stack itself, which saves looking it up (a jsii round trip)."""
    stack = scope if isinstance(scope, Stack) else Stack.of(scope)
    return flatten_reference(stack.resolve(resource))


def resource_details(scope: IConstruct, resources: Sequence[str]) -> list[str]:
    """``resource_detail`` of each of ``resources``, the stack looked up and the strings
    resolved in one round trip each."""
    if not resources:
        return []
    stack = scope if isinstance(scope, Stack) else Stack.of(scope)
    return [flatten_reference(value) for value in stack.resolve(list(resources))]
