"""What the custom-resource handler (the "caller") may do, for every job in a stack.

Jobs register what they need; the registry renders the policy documents when the stack is
synthesized. Statements are merged per job type and per action, so the policy grows by a
model ARN, a role ARN or a key ARN per job at most, not by a statement per job: 100 jobs
that share a model and a role cost no more policy text than one. Everything is sorted by
its resolved form, so the documents do not depend on the order the jobs were defined in.

Describe and Stop are granted for every job type in the job-type table, whatever jobs the
stack registers; Start only for the types registered. CloudFormation deletes a removed
resource in the cleanup phase, after the updated policy is in place: were Describe and
Stop per registered type, removing a stack's last job of a type would drop them first, and
that job's Delete (StopOnDelete) could neither describe nor stop it.

A managed policy holds at most 6,144 characters. The fixed statements (one per job type)
stay in the first document; the growing ARNs are spread over as many documents as their
estimated deployed size needs (``shards_needed``), in sorted order, so a stack of jobs
with a model each still fits.
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
#: What a value known only at deploy time (a role or key ARN token) is assumed to cost in
#: the deployed policy: ARNs of generated names stay well under this.
TOKEN_CHARS = 128
#: Characters of growing ARNs one document takes before another is made; leaves room under
#: the 6,144-character managed-policy limit for the fixed statements of all nine types.
ITEM_BUDGET = 2_800


@dataclass
class _TypeNeeds:
    job_type: JobType
    model_arns: list[str] = field(default_factory=list)
    tags: bool = False


class CallerPermissions:
    """Collects the permissions every job in a stack needs and renders them as one document.

    :param job_arn_pattern: builds ``arn:...:comprehend:R:A:<resource>/*`` for a job type.
    :param sort_key: turns a value (possibly a CDK token) into a stable sort key, e.g. the
        JSON of its resolved form.
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
        self._types: dict[str, _TypeNeeds] = {}
        self._role_arns: list[str] = []
        self._volume_key_arns: list[str] = []
        self._textract = False
        self._extra_statements: list[dict[str, Any]] = []
        # Rendered documents by (shard, shards), valid until the next registration. cdk-nag
        # and the synthesizer resolve each document many times per synth; each rendering
        # resolves every ARN through jsii to sort it.
        self._rendered: dict[tuple[int, int], dict[str, Any]] = {}

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
        tags: bool = False,
        textract: bool = False,
    ) -> None:
        """Register what one job's Start/Describe/Stop calls need."""
        self._rendered.clear()
        needs = self._types.setdefault(job_type.stem, _TypeNeeds(job_type))
        for arn in model_arns or []:
            _add_unique(needs.model_arns, arn)
        needs.tags = needs.tags or tags
        _add_unique(self._role_arns, data_access_role_arn)
        if volume_key_arn is not None:
            _add_unique(self._volume_key_arns, volume_key_arn)
        self._textract = self._textract or textract

    def add_statement(self, statement: dict[str, Any]) -> None:
        """Add a statement the handler needs besides the jobs' own (e.g. its log group)."""
        self._rendered.clear()
        self._extra_statements.append(statement)

    def _sorted(self, values: list[Any]) -> list[Any]:
        unique = {self._sort_key(v): v for v in values}
        return [unique[k] for k in sorted(unique)]

    def _fixed_statements(self) -> list[dict[str, Any]]:
        """Statements whose size does not grow with the number of jobs of a type."""
        out: list[dict[str, Any]] = list(self._extra_statements)
        # Every type of the table, registered or not: a job removed by an update is deleted
        # (and stopped) after this policy has been updated without it, so Describe and Stop
        # must not depend on which jobs the stack still has. Start only for registered types.
        for stem in sorted(JOB_TYPES):
            job_type = JOB_TYPES[stem]
            verbs = ["Describe"] + (["Stop"] if job_type.has_stop else [])
            if stem in self._types:
                sid = f"Run{stem}Jobs"
                verbs = ["Start", *verbs]
            else:
                sid = f"{'And'.join(verbs)}{stem}Jobs"
            out.append(
                {
                    "Sid": sid,
                    "Effect": "Allow",
                    "Action": [job_type.iam_action(v) for v in verbs],
                    "Resource": self._job_arn_pattern(job_type),
                }
            )
        tagged = [self._types[s].job_type for s in sorted(self._types) if self._types[s].tags]
        if tagged:
            out.append(
                {
                    "Sid": "TagJobs",
                    "Effect": "Allow",
                    "Action": "comprehend:TagResource",
                    "Resource": [self._job_arn_pattern(t) for t in tagged],
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
        return out

    def _item_groups(self) -> list[tuple[dict[str, Any], list[Any]]]:
        """(statement without Resource, its sorted ARNs) for every statement that grows."""
        groups: list[tuple[dict[str, Any], list[Any]]] = []
        for stem in sorted(self._types):
            needs = self._types[stem]
            if needs.model_arns:
                # Start<Type>Job is also authorized against the model (or flywheel) it uses.
                groups.append(
                    (
                        {
                            "Sid": f"Use{stem}Models",
                            "Effect": "Allow",
                            "Action": needs.job_type.iam_action("Start"),
                        },
                        self._sorted(needs.model_arns),
                    )
                )
        if self._role_arns:
            groups.append(
                (
                    {
                        "Sid": "PassDataAccessRoles",
                        "Effect": "Allow",
                        "Action": "iam:PassRole",
                        "Condition": {"StringEquals": {"iam:PassedToService": COMPREHEND_SERVICE}},
                    },
                    self._sorted(self._role_arns),
                )
            )
        if self._volume_key_arns:
            groups.append(
                (
                    {
                        "Sid": "UseVolumeKeys",
                        "Effect": "Allow",
                        "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                    },
                    self._sorted(self._volume_key_arns),
                )
            )
        return groups

    def _chars(self, value: Any) -> int:
        # The deployed size of one ARN in a Resource list, quotes and comma included.
        return TOKEN_CHARS if self._is_token(value) else len(value) + 3

    def shards_needed(self, budget: int = ITEM_BUDGET) -> int:
        """How many documents the growing ARNs need at ``budget`` characters each.

        Called on every job registration, so it sums the ARNs as registered rather than
        sorting them (sorting resolves each one, a jsii round trip). Sorting can only merge
        ARNs, never add one, so this never needs fewer documents than ``statements`` fills.
        """
        values = [arn for needs in self._types.values() for arn in needs.model_arns]
        values += self._role_arns + self._volume_key_arns
        return max(1, math.ceil(sum(self._chars(v) for v in values) / budget))

    def statements(self, shard: int = 0, shards: int = 1) -> list[dict[str, Any]]:
        """The statements of document ``shard`` of ``shards``, in a stable order.

        Document 0 has the fixed statements; the growing ARNs, in their sorted order, are
        cut into ``shards`` runs of about equal size, one per document.
        """
        out = self._fixed_statements() if shard == 0 else []
        groups = self._item_groups()
        total = sum(self._chars(v) for _, values in groups for v in values)
        per_shard = max(1, math.ceil(total / shards))
        position = 0
        for statement, values in groups:
            mine = []
            for value in values:
                if min(shards - 1, position // per_shard) == shard:
                    mine.append(value)
                position += self._chars(value)
            if mine:
                out.append({**statement, "Resource": mine})
        return out

    def document(self, shard: int = 0, shards: int = 1) -> dict[str, Any]:
        """Policy document ``shard`` of ``shards`` (the whole policy when ``shards`` is 1).

        Rendered once per registry state and shared by every caller until the next job or
        statement registers: treat it as read-only.
        """
        key = (shard, shards)
        if key not in self._rendered:
            self._rendered[key] = {
                "Version": "2012-10-17",
                "Statement": self.statements(shard, shards),
            }
        return self._rendered[key]


def _add_unique(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
