"""What the custom-resource handler (the "caller") may do, for every job in a stack.

Jobs register what they need; the registry renders one policy document when the stack is
synthesized. Statements are merged per job type and per action, so the policy grows by a
model ARN or a role ARN per job at most, not by a statement per job: 100 jobs that share a
model and a role cost no more policy text than one. Everything is sorted by its resolved
form, so the document does not depend on the order the jobs were defined in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from comprehend_jobs.job_types import JobType

#: The service the DataAccessRole may be passed to, and nothing else.
COMPREHEND_SERVICE = "comprehend.amazonaws.com"


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
    ) -> None:
        self._job_arn_pattern = job_arn_pattern
        self._sort_key = sort_key
        self._types: dict[str, _TypeNeeds] = {}
        self._role_arns: list[str] = []
        self._volume_key_arns: list[str] = []
        self._textract = False
        self._extra_statements: list[dict[str, Any]] = []

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
        self._extra_statements.append(statement)

    def _sorted(self, values: list[Any]) -> list[Any]:
        unique = {self._sort_key(v): v for v in values}
        return [unique[k] for k in sorted(unique)]

    def statements(self) -> list[dict[str, Any]]:
        """The policy statements, in a stable order."""
        out: list[dict[str, Any]] = list(self._extra_statements)
        for stem in sorted(self._types):
            needs = self._types[stem]
            job_type = needs.job_type
            verbs = ["Start", "Describe"] + (["Stop"] if job_type.has_stop else [])
            out.append(
                {
                    "Sid": f"Run{stem}Jobs",
                    "Effect": "Allow",
                    "Action": [job_type.iam_action(v) for v in verbs],
                    "Resource": self._job_arn_pattern(job_type),
                }
            )
            if needs.model_arns:
                # Start<Type>Job is also authorized against the model (or flywheel) it uses.
                out.append(
                    {
                        "Sid": f"Use{stem}Models",
                        "Effect": "Allow",
                        "Action": job_type.iam_action("Start"),
                        "Resource": self._sorted(needs.model_arns),
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
        if self._role_arns:
            out.append(
                {
                    "Sid": "PassDataAccessRoles",
                    "Effect": "Allow",
                    "Action": "iam:PassRole",
                    "Resource": self._sorted(self._role_arns),
                    "Condition": {"StringEquals": {"iam:PassedToService": COMPREHEND_SERVICE}},
                }
            )
        if self._volume_key_arns:
            out.append(
                {
                    "Sid": "UseVolumeKeys",
                    "Effect": "Allow",
                    "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                    "Resource": self._sorted(self._volume_key_arns),
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

    def document(self) -> dict[str, Any]:
        """The whole policy document."""
        return {"Version": "2012-10-17", "Statement": self.statements()}


def _add_unique(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
