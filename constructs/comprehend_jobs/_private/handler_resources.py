"""The job handler's parts that are not the construct: its runtime, its log retention, the
policy statements for its logs and its log key, the ARN pattern of the jobs it serves, and
the caller policy document rendered at synthesis.

Shared by ``comprehend_jobs.job_handler`` (the ``JobHandler`` construct),
``comprehend_jobs._private.provider`` (the stack's Provider) and
``comprehend_jobs._private.input_documents`` (the upload of input documents).
"""

from __future__ import annotations

from typing import Any

import jsii
from aws_cdk import ArnFormat, IResolvable, IResolveContext, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

from comprehend_jobs._private.caller_permissions import CallerPermissions

#: The newest Python runtime this aws-cdk-lib knows (cdk-nag checks for the newest).
HANDLER_RUNTIME = lambda_.Runtime.PYTHON_3_14
#: How long the handler's logs are kept.
LOG_RETENTION = logs.RetentionDays.ONE_YEAR


@jsii.implements(IResolvable)
class CallerPolicyDocument:
    """Renders the caller policy document only when the stack is synthesized, after every
    job has registered what it needs. (An IResolvable rather than ``Lazy.any``: jsii calls a
    Python ``produce`` without its context argument.)"""

    def __init__(self, permissions: CallerPermissions, shard: int, shards: list[Any]) -> None:
        self._permissions = permissions
        self._shard = shard
        # The handler's list of policies: its length at synthesis is the shard count.
        self._shards = shards

    @property
    def creation_stack(self) -> list[str]:
        return []

    def resolve(self, context: IResolveContext) -> Any:
        return self._permissions.document(self._shard, len(self._shards))

    def to_string(self) -> str:
        return "<comprehend-jobs caller policy>"


def log_key_statement(stack: Stack) -> iam.PolicyStatement:
    """The key-policy statement that lets CloudWatch Logs of ``stack``'s Region use a key
    for the log groups of ``stack``'s account and Region, and for nothing else.

    The service principal is ``logs.<region>.<url suffix>`` (``amazonaws.com``, or the
    partition's own suffix); add it to a brought log key's policy.
    """
    return iam.PolicyStatement(
        sid="AllowCloudWatchLogsOfThisAccount",
        principals=[iam.ServicePrincipal(f"logs.{stack.region}.{stack.url_suffix}")],
        actions=[
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey*",
            "kms:ReEncrypt*",
            "kms:DescribeKey",
        ],
        resources=["*"],
        conditions={
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                    service="logs",
                    resource="log-group",
                    resource_name="*",
                    arn_format=ArnFormat.COLON_RESOURCE_NAME,
                )
            }
        },
    )


#: Stands for a job type's ARN resource name (``entity-recognizer-job``...) in the pattern
#: of ``job_arn_pattern``; no token, partition, region or account contains it.
JOB_TYPE_PLACEHOLDER = "@COMPREHEND_JOB_TYPE@"


def job_arn_pattern(stack: Stack) -> str:
    """``arn:<partition>:comprehend:<region>:<account>:<JOB_TYPE_PLACEHOLDER>/*`` of ``stack``."""
    return stack.format_arn(service="comprehend", resource=JOB_TYPE_PLACEHOLDER, resource_name="*")


def log_write_statement(
    log_group: logs.ILogGroup, *, sid: str | None = None
) -> iam.PolicyStatement:
    """What a function needs to write its logs to ``log_group`` and nothing more."""
    # LogGroup.Arn already ends in ":*", which covers the group's streams.
    return iam.PolicyStatement(
        sid=sid,
        actions=["logs:CreateLogStream", "logs:PutLogEvents"],
        resources=[log_group.log_group_arn],
    )
