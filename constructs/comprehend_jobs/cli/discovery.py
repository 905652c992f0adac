"""Which Comprehend jobs a deployed stack started.

The contract with the constructs: each job is a ``Custom::ComprehendAnalysisJob`` resource
whose physical ID is the job ARN, and the library's pattern also exports job ARNs as stack
outputs. Both are read and merged, so a stack made either way (or by hand) is covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from comprehend_jobs.cli.errors import NoJobs, StackNotFound, aws_errors, error_code
from comprehend_jobs.job_types import RESOURCE_TYPE as JOB_RESOURCE_TYPE
from comprehend_jobs.job_types import JobType, job_type_for_arn


@dataclass(frozen=True)
class JobRef:
    """One job a stack started, as far as CloudFormation knows it."""

    arn: str
    job_type: JobType
    #: Where it was found: the resource's logical ID or the output's key.
    source: str

    @property
    def job_id(self) -> str:
        """The job ID: the last part of the ARN."""
        return self.arn.rsplit("/", 1)[1]

    @property
    def region(self) -> str:
        """The Region the job runs in (from its ARN)."""
        return self.arn.split(":")[3]


def _job_ref(arn: str, source: str) -> JobRef | None:
    job_type = job_type_for_arn(arn.strip())
    if job_type is None or not arn.strip().rsplit("/", 1)[1]:
        return None
    return JobRef(arn=arn.strip(), job_type=job_type, source=source)


def _describe_stack(cloudformation: Any, stack: str) -> dict[str, Any]:
    with aws_errors("cloudformation:DescribeStacks", f"stack {stack}"):
        try:
            stacks = cloudformation.describe_stacks(StackName=stack)["Stacks"]
        except ClientError as e:
            if error_code(e) == "ValidationError" and "does not exist" in str(e):
                region = cloudformation.meta.region_name
                raise StackNotFound(
                    f"stack {stack} not found in {region}; check the name and the Region "
                    "(--region, AWS_REGION) or the account"
                ) from None
            raise
    return dict(stacks[0])


def _resource_jobs(cloudformation: Any, stack: str) -> list[JobRef]:
    found: list[JobRef] = []
    with aws_errors("cloudformation:ListStackResources", f"stack {stack}"):
        pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack)
        for page in pages:
            for summary in page.get("StackResourceSummaries", []):
                if summary.get("ResourceType") != JOB_RESOURCE_TYPE:
                    continue
                # A resource whose create failed has no job ARN as its physical ID.
                ref = _job_ref(summary.get("PhysicalResourceId", ""), summary["LogicalResourceId"])
                if ref is not None:
                    found.append(ref)
    return sorted(found, key=lambda r: r.source)


def _output_jobs(description: dict[str, Any]) -> list[JobRef]:
    found = []
    for output in description.get("Outputs", []):
        ref = _job_ref(str(output.get("OutputValue", "")), output.get("OutputKey", ""))
        if ref is not None:
            found.append(ref)
    return sorted(found, key=lambda r: r.source)


def find_jobs(cloudformation: Any, stack: str) -> list[JobRef]:
    """Every job ``stack`` started: custom resources first, then outputs, each ARN once.

    Raises ``StackNotFound`` when the stack does not exist and ``NoJobs`` when it started
    no job.
    """
    description = _describe_stack(cloudformation, stack)
    jobs: dict[str, JobRef] = {}
    for ref in _resource_jobs(cloudformation, stack) + _output_jobs(description):
        jobs.setdefault(ref.arn, ref)
    if not jobs:
        raise NoJobs(
            f"stack {stack} has no Comprehend jobs (no {JOB_RESOURCE_TYPE} resource and no "
            "output holding a job ARN); was it deployed with a comprehend_jobs construct?"
        )
    return list(jobs.values())
