"""What the custom-resource handler (the "caller") may do, for every job in a stack.

Jobs register what they need; the registry renders the policy documents when the stack is
synthesized. Statements are merged per job type and per action, so the policy grows by a
model ARN, a role ARN or a key ARN per job at most, not by a statement per job: 100 jobs
that share a model and a role cost no more policy text than one. Everything is sorted by
its resolved form, so the documents do not depend on the order the jobs were defined in.

Describe, Stop and the tag actions are granted for every job type in the job-type table,
whatever jobs the stack registers, and List<Type>Jobs for every type; Start only for the
types registered. CloudFormation deletes a removed resource in the cleanup phase, after the
updated policy is in place: were Describe and Stop per registered type, removing a stack's
last job of a type would drop them first, and that job's Delete (StopOnDelete) could
neither describe nor stop it. A rollback may likewise return to a job of a type the
updated stack no longer uses: the handler finds it (List, ListTagsForResource) and re-tags it.

A managed policy holds at most 6,144 characters, counted without whitespace. Each ARN's
deployed size is estimated once, when it registers (``estimate_chars``), and kept in a
running total, so registering a job costs the same however many jobs came before. The
fixed statements open the first document, whole; the growing ARNs follow in their sorted
order, and a document is added only when the next ARN would not fit in the ones made so far
(``shards_needed``). See ``DOCUMENT_CHARS`` for the margin.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from comprehend_jobs.job_types import JOB_TYPES, JobType

#: The service the DataAccessRole may be passed to, and nothing else.
COMPREHEND_SERVICE = "comprehend.amazonaws.com"

# -- What a deploy-time value resolves to, at most -------------------------------------
# IAM counts a policy's characters without whitespace, so a document's size is the length
# of its JSON with no spaces (``separators=(",", ":")``), each value as it reads after
# CloudFormation has resolved it. A value known only at deploy time (a token) is counted at
# the longest its ARN format allows:
#: ``aws-us-gov`` is the longest partition ID (``aws-cn`` 6, ``aws-iso-b`` 9, ``aws-eusc`` 8).
PARTITION_CHARS = 10
#: The longest Region code today is 15 (``us-isof-south-1``); 5 more are spare.
REGION_CHARS = 20
#: Account IDs are exactly 12 digits.
ACCOUNT_CHARS = 12
#: ``amazonaws.com.cn`` is the longest URL suffix.
URL_SUFFIX_CHARS = 16
#: ``arn:<partition>:iam::<account>:role/<name>``: role names are at most 64 characters and
#: the roles this library (and aws-cdk-lib's ``iam.Role`` without ``path=``) makes have the
#: path ``/``. A role with a longer path given as a literal ARN is measured as it is.
ROLE_ARN_CHARS = len("arn::iam:::role/") + PARTITION_CHARS + ACCOUNT_CHARS + 64
#: ``arn:<partition>:kms:<region>:<account>:key/<key id>``: a key ID is a 36-character UUID
#: (or ``mrk-`` and 32 hex digits, also 36).
KEY_ARN_CHARS = len("arn::kms:::key/") + PARTITION_CHARS + REGION_CHARS + ACCOUNT_CHARS + 36
#: ``arn:<partition>:comprehend:<region>:<account>:document-classifier/<name>/version/<v>``:
#: model and version names are at most 63 characters; ``document-classifier`` is the
#: longest resource type (``entity-recognizer``, ``flywheel`` are shorter).
MODEL_ARN_CHARS = (
    len("arn::comprehend:::document-classifier//version/")
    + PARTITION_CHARS
    + REGION_CHARS
    + ACCOUNT_CHARS
    + 63
    + 63
)
#: Any other attribute in a fixed statement is one of the handler's log group ARNs,
#: ``arn:<partition>:logs:<region>:<account>:log-group:<name>:*`` (names up to 512).
ATTRIBUTE_CHARS = (
    len("arn::logs:::log-group::*") + PARTITION_CHARS + REGION_CHARS + ACCOUNT_CHARS + 512
)
#: A deploy-time value of any other kind (an imported value, a parameter): IAM's longest
#: ARN.
ANY_VALUE_CHARS = 2_048
_PSEUDO_CHARS = {
    "AWS::Partition": PARTITION_CHARS,
    "AWS::Region": REGION_CHARS,
    "AWS::AccountId": ACCOUNT_CHARS,
    "AWS::URLSuffix": URL_SUFFIX_CHARS,
    "AWS::StackName": 128,
    # arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<36-character UUID>
    "AWS::StackId": len("arn::cloudformation:::stack//")
    + PARTITION_CHARS
    + REGION_CHARS
    + ACCOUNT_CHARS
    + 128
    + 36,
    "AWS::NoValue": 0,
}

#: IAM's limit on a managed policy document, whitespace excluded.
MANAGED_POLICY_CHARS = 6_144
#: Left unused in every document. The estimate cannot undercount as long as the bounds
#: above hold (no whitespace, every token at its longest, non-ASCII as 6-character JSON
#: escapes where IAM counts one character), so the margin only absorbs a bound proved
#: wrong: e.g. a new partition or Region code 3 characters longer than the allowance, in
#: each of the ~20 deploy-time values of a first document.
SAFETY_MARGIN = 64
#: What the estimate of one document may reach.
DOCUMENT_CHARS = MANAGED_POLICY_CHARS - SAFETY_MARGIN
#: ``{"Version":"2012-10-17","Statement":[]}``: the envelope of every document.
ENVELOPE_CHARS = len(json.dumps({"Version": "2012-10-17", "Statement": []}, separators=(",", ":")))

_TOKEN_CHARS = {"model": MODEL_ARN_CHARS, "role": ROLE_ARN_CHARS, "key": KEY_ARN_CHARS}


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _string_chars(value: Any, attribute_chars: Callable[[str, str], int]) -> int:
    """The most characters the string a resolved CloudFormation value deploys as can have
    (inside its quotes, JSON escapes counted)."""
    if isinstance(value, str):
        return len(json.dumps(value)) - 2
    if isinstance(value, dict) and len(value) == 1:
        ((name, argument),) = value.items()
        if name == "Ref":
            if argument in _PSEUDO_CHARS:
                return _PSEUDO_CHARS[argument]
            return attribute_chars(str(argument), "Ref")
        if name == "Fn::GetAtt":
            logical_id, attribute = (
                argument if isinstance(argument, list) else str(argument).split(".", 1)
            )
            return attribute_chars(str(logical_id), str(attribute))
        if name == "Fn::Join" and isinstance(argument[1], list):
            separator, parts = argument
            joints = (len(json.dumps(separator)) - 2) * max(0, len(parts) - 1)
            return joints + sum(_string_chars(part, attribute_chars) for part in parts)
    return ANY_VALUE_CHARS


def deployed_chars(value: Any, attribute_chars: Callable[[str, str], int] | None = None) -> int:
    """An upper bound of the characters a resolved CloudFormation value (``stack.resolve``
    output) takes in the document IAM receives, whitespace excluded, and never less than its
    length in the template (so the template's own policy documents stay under the limit
    too). ``attribute_chars(logical_id, attribute)`` bounds one ``Fn::GetAtt`` (or, with
    the attribute ``Ref``, one ``Ref`` of a resource); by default every attribute is a log
    group ARN, as in the fixed statements, and a ``Ref`` anything at all."""
    attribute_chars = attribute_chars or _fixed_attribute_chars
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt", "Fn::Join"):
            return max(len(_compact(value)), 2 + _string_chars(value, attribute_chars))
        inner = [
            len(json.dumps(k)) + 1 + deployed_chars(v, attribute_chars) for k, v in value.items()
        ]
        return 2 + sum(inner) + max(0, len(inner) - 1)
    if isinstance(value, list):
        items = [deployed_chars(v, attribute_chars) for v in value]
        return 2 + sum(items) + max(0, len(items) - 1)
    return len(_compact(value))


def template_attribute_chars(resources: dict[str, Any]) -> Callable[[str, str], int]:
    """``attribute_chars`` for ``deployed_chars`` that knows a synthesized template's
    resource types (``resources``: its Resources section): the ARN a role, key, log group,
    function, bucket or state machine resolves to, at its format's longest; anything else
    at ``ANY_VALUE_CHARS``. For measuring whole templates (the benchmarks and tests)."""
    prefix = PARTITION_CHARS + REGION_CHARS + ACCOUNT_CHARS
    arns = {
        ("AWS::IAM::Role", "Arn"): ROLE_ARN_CHARS,
        ("AWS::KMS::Key", "Arn"): KEY_ARN_CHARS,
        ("AWS::Logs::LogGroup", "Arn"): ATTRIBUTE_CHARS,
        # Function names are at most 64 characters, state machine names 80, buckets 63.
        ("AWS::Lambda::Function", "Arn"): len("arn::lambda:::function:") + prefix + 64,
        ("AWS::StepFunctions::StateMachine", "Ref"): len("arn::states:::stateMachine:")
        + prefix
        + 80,
        ("AWS::S3::Bucket", "Arn"): len("arn::s3:::") + PARTITION_CHARS + 63,
    }

    def chars(logical_id: str, attribute: str) -> int:
        kind = resources.get(logical_id, {}).get("Type")
        return arns.get((kind, attribute), ANY_VALUE_CHARS)

    return chars


def _fixed_attribute_chars(logical_id: str, attribute: str) -> int:
    # In the fixed statements, an attribute is one of the handler's log group ARNs.
    return ATTRIBUTE_CHARS if attribute != "Ref" else ANY_VALUE_CHARS


@dataclass
class _Group:
    """A statement that grows by one ARN per distinct model, role or key."""

    kind: str
    statement: dict[str, Any]
    #: ARN -> (estimated characters, quotes and comma included; is it a token).
    arns: dict[str, tuple[int, bool]] = field(default_factory=dict)


@dataclass
class _TypeNeeds:
    job_type: JobType
    models: _Group


class CallerPermissions:
    """Collects the permissions every job in a stack needs and renders them as documents.

    :param job_arn_pattern: builds ``arn:...:comprehend:R:A:<resource>/*`` for a job type.
    :param sort_key: turns a value (possibly a CDK token) into a stable sort key: the JSON
        of its resolved form (``json.loads`` of it is measured with ``deployed_chars``).
    :param is_token: whether a value is known only at deploy time; asked once per distinct
        ARN, when it registers.
    """

    def __init__(
        self,
        *,
        job_arn_pattern: Callable[[JobType], str],
        sort_key: Callable[[Any], str] = lambda value: json.dumps(value, sort_keys=True),
        is_token: Callable[[Any], bool] = lambda value: not isinstance(value, str),
    ) -> None:
        self._job_arn_pattern = job_arn_pattern
        self._sort_key = sort_key
        self._is_token = is_token
        self._patterns: dict[str, str] = {}
        self._types: dict[str, _TypeNeeds] = {}
        self._roles = _Group(
            "role",
            {
                "Sid": "PassDataAccessRoles",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Condition": {"StringEquals": {"iam:PassedToService": COMPREHEND_SERVICE}},
            },
        )
        self._keys = _Group(
            "key",
            {
                "Sid": "UseVolumeKeys",
                "Effect": "Allow",
                "Action": ["kms:CreateGrant", "kms:DescribeKey"],
            },
        )
        self._textract = False
        self._extra_statements: list[dict[str, Any]] = []
        #: How many ARN sizes were estimated: one per distinct ARN, when it registers.
        self.estimates = 0
        # Running totals: the growing ARNs' estimated characters, the largest one, and
        # the statement headers (all but the ARNs) of the groups that have any.
        self._item_chars = 0
        self._largest_item = 0
        self._header_chars = 0
        # The fixed statements and their estimated size, until one of them changes.
        self._fixed: list[dict[str, Any]] | None = None
        self._fixed_chars: int | None = None
        # Rendered documents by shard count, valid until the next registration. cdk-nag
        # and the synthesizer resolve each document many times per synth.
        self._rendered: dict[int, list[dict[str, Any]]] = {}

    @property
    def job_types(self) -> list[JobType]:
        """The job types registered so far, sorted by API stem."""
        return [self._types[stem].job_type for stem in sorted(self._types)]

    def add_job(
        self,
        *,
        job_type: JobType,
        data_access_role_arn: str,
        model_arns: list[str] | None = None,
        volume_key_arn: str | None = None,
        textract: bool = False,
    ) -> None:
        """Register what one job's Start/Describe/Stop calls need (tags need nothing of
        their own: every job is tagged with its key, see ``RunAndTagJobs``).

        Costs one size estimate (and one ``is_token`` call) per ARN not registered
        before, whatever the number of jobs so far.
        """
        self._rendered.clear()
        needs = self._types.get(job_type.stem)
        if needs is None:
            needs = self._types[job_type.stem] = _TypeNeeds(
                job_type,
                _Group(
                    "model",
                    {
                        "Sid": f"Use{job_type.stem}Models",
                        "Effect": "Allow",
                        # Start<Type>Job is also authorized against the model it uses.
                        "Action": job_type.iam_action("Start"),
                    },
                ),
            )
            self._fixed = None
        for arn in model_arns or []:
            self._add_arn(needs.models, arn)
        self._add_arn(self._roles, data_access_role_arn)
        if volume_key_arn is not None:
            self._add_arn(self._keys, volume_key_arn)
        if textract and not self._textract:
            self._textract = True
            self._fixed = None

    def add_statement(self, statement: dict[str, Any]) -> None:
        """Add a statement the handler needs besides the jobs' own (e.g. its log group)."""
        self._rendered.clear()
        self._extra_statements.append(statement)
        self._fixed = None

    def estimate_chars(self, kind: str, arn: str) -> tuple[int, bool]:
        """The most characters ``arn`` takes in a Resource list once deployed (quotes and
        comma included), and whether it is a token; ``kind`` is ``model``, ``role`` or
        ``key``. Called once per distinct ARN, when it registers."""
        self.estimates += 1
        if self._is_token(arn):
            return _TOKEN_CHARS[kind] + 3, True
        return len(json.dumps(arn)) + 1, False

    def _add_arn(self, group: _Group, arn: str) -> None:
        if arn in group.arns:
            return
        chars, token = self.estimate_chars(group.kind, arn)
        if not group.arns:
            # The statement around the ARNs: its Sid, Action, Condition, brackets, comma.
            self._header_chars += len(_compact({**group.statement, "Resource": []})) + 1
        group.arns[arn] = (chars, token)
        self._item_chars += chars
        self._largest_item = max(self._largest_item, chars)

    def _pattern(self, job_type: JobType) -> str:
        if job_type.stem not in self._patterns:
            self._patterns[job_type.stem] = self._job_arn_pattern(job_type)
        return self._patterns[job_type.stem]

    def _fixed_statements(self) -> list[dict[str, Any]]:
        """Statements whose size does not grow with the number of jobs of a type."""
        if self._fixed is not None:
            return self._fixed
        out: list[dict[str, Any]] = list(self._extra_statements)
        # One statement lists the nine '<type>-job/*' patterns once; an action authorizes
        # only against its own resource type, so Start<A>Job gains nothing from B's pattern.
        # (A statement per type, with the tag actions in each or in a second list of the
        # nine patterns, would take 800-1,900 characters more of the first document.)
        # Describe, Stop and the tag actions are for every type of the table, registered or
        # not: a job removed by an update is deleted (and stopped) after this policy has
        # been updated without it, and a rollback may return to (find by its key tag,
        # re-tag) a job of a type the updated stack no longer uses. Start only for the
        # registered types.
        every = [JOB_TYPES[stem] for stem in sorted(JOB_TYPES)]
        out.append(
            {
                "Sid": "RunAndTagJobs",
                "Effect": "Allow",
                "Action": [
                    job_type.iam_action(verb)
                    for job_type in every
                    for verb in ("Start", "Describe", "Stop")
                    if (verb != "Start" or job_type.stem in self._types)
                    and (verb != "Stop" or job_type.has_stop)
                ]
                + [
                    "comprehend:ListTagsForResource",
                    "comprehend:TagResource",
                    "comprehend:UntagResource",
                ],
                "Resource": [self._pattern(job_type) for job_type in every],
            }
        )
        # The handler finds a job by its JobName before starting one; List<Type>Jobs
        # authorizes no resource type, so '*' is the only resource.
        out.append(
            {
                "Sid": "FindJobsByName",
                "Effect": "Allow",
                "Action": [job_type.iam_action("List") for job_type in every],
                "Resource": "*",
            }
        )
        if self._textract:
            # Textract offers no resource-level permissions: "*" is the only resource.
            out.append(
                {
                    "Sid": "ReadDocumentsWithTextract",
                    "Effect": "Allow",
                    "Action": ["textract:AnalyzeDocument", "textract:DetectDocumentText"],
                    "Resource": "*",
                }
            )
        self._fixed = out
        self._fixed_chars = None
        return out

    def fixed_chars(self) -> int:
        """The fixed statements' estimated deployed size, commas included: measured (one
        resolution of them all) only when one of them has changed."""
        statements = self._fixed_statements()
        if self._fixed_chars is None:
            resolved = json.loads(self._sort_key(statements))
            self._fixed_chars = sum(deployed_chars(s) + 1 for s in resolved)
        return self._fixed_chars

    def _groups(self) -> list[_Group]:
        models = [self._types[stem].models for stem in sorted(self._types)]
        return [g for g in [*models, self._roles, self._keys] if g.arns]

    @property
    def arn_chars(self) -> int:
        """The running total of the growing ARNs' estimated sizes."""
        return self._item_chars

    def arn_room(self) -> int:
        """Characters of fixed statements and ARNs each document's window holds.

        A document holds the ARNs whose running total ends in its window; the ARN that
        crosses into the window may have started up to the largest ARN before it, and the
        document also carries the envelope and (at most) every growing statement's header.
        """
        return DOCUMENT_CHARS - ENVELOPE_CHARS - self._header_chars - self._largest_item

    def _arns_start(self) -> int:
        """Where the growing ARNs' running total starts: after the fixed statements.

        Document 0 holds the fixed statements whole: they cannot be cut at a window's end
        as the ARNs are. When they fill more than one window, the ARNs start at the next
        window, so document 0 holds them alone (the window arithmetic alone would count
        their excess as the next document's and let document 0 pass the limit).
        """
        fixed = self.fixed_chars()
        if fixed > DOCUMENT_CHARS - ENVELOPE_CHARS:
            raise ValueError(
                f"the caller policy's fixed statements take {fixed} characters, more than "
                f"one document holds ({DOCUMENT_CHARS - ENVELOPE_CHARS})"
            )
        return min(fixed, self.arn_room())

    def shards_needed(self) -> int:
        """How many documents the fixed statements and the growing ARNs need: the running
        totals divided by ``arn_room``, with no pass over the ARNs. A document is added only
        when the next ARN would not fit in the ones made so far."""
        return max(1, math.ceil((self._arns_start() + self._item_chars) / self.arn_room()))

    def _sorted(self, group: _Group) -> list[str]:
        # A literal ARN resolves to itself: only tokens need the (jsii) resolution.
        keys = {
            (self._sort_key(arn) if token else json.dumps(arn, sort_keys=True)): arn
            for arn, (_, token) in group.arns.items()
        }
        return [keys[k] for k in sorted(keys)]

    def _render(self, shards: int) -> list[dict[str, Any]]:
        if shards < self.shards_needed():
            raise ValueError(
                f"the caller policy needs {self.shards_needed()} documents and has {shards}: "
                "a statement was added after the last job registered"
            )
        room = self.arn_room()
        documents: list[list[dict[str, Any]]] = [[] for _ in range(shards)]
        documents[0].extend(self._fixed_statements())
        position = self._arns_start()
        for group in self._groups():
            mine: list[list[str]] = [[] for _ in range(shards)]
            for arn in self._sorted(group):
                position += group.arns[arn][0]
                mine[min(shards - 1, max(0, math.ceil(position / room) - 1))].append(arn)
            for index, arns in enumerate(mine):
                if arns:
                    documents[index].append({**group.statement, "Resource": arns})
        return [{"Version": "2012-10-17", "Statement": s} for s in documents]

    def statements(self, shard: int = 0, shards: int = 1) -> list[dict[str, Any]]:
        """The statements of document ``shard`` of ``shards``, in a stable order.

        Document 0 opens with the fixed statements; then come the growing ARNs, group by
        group, each group in its sorted order: an ARN goes to the document whose window
        (``arn_room`` characters each) its running total ends in.
        """
        return list(self.document(shard, shards)["Statement"])

    def document(self, shard: int = 0, shards: int = 1) -> dict[str, Any]:
        """Policy document ``shard`` of ``shards`` (the whole policy when ``shards`` is 1).

        All ``shards`` documents are rendered at once, once per registry state, and shared
        by every caller until the next job or statement registers: treat them as read-only.
        """
        if shards not in self._rendered:
            self._rendered[shards] = self._render(shards)
        return self._rendered[shards][shard]
