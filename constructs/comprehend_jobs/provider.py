"""The per-stack machinery that serves every job's custom resource.

One ``JobHandler`` per stack holds the handler code (one Lambda function for ``on_event``,
and one for ``is_complete`` only when some job waits), its role, its encrypted log groups
and the caller policy. Two ``custom_resources.Provider``s share it: one for jobs that do
not wait (two Lambda functions in all: ours and the framework's) and, only in a stack where
some job waits, one with the waiter state machine. Each extra job then adds exactly one
resource to the template: its ``Custom::ComprehendAnalysisJob``.
"""

from __future__ import annotations

import json
from typing import Any

import jsii
from aws_cdk import (
    ArnFormat,
    Duration,
    IResolvable,
    IResolveContext,
    RemovalPolicy,
    Stack,
    Token,
)
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import custom_resources as cr
from constructs import Construct

from comprehend_jobs.acknowledgments import (
    COMPREHEND_JOB_IDS,
    DEPLOY_TIME_FUNCTIONS,
    NO_RESOURCE_LEVEL_PERMISSIONS,
    PROVIDER_FRAMEWORK_INVOKE,
    acknowledge,
    resource_detail,
)
from comprehend_jobs.caller_permissions import CallerPermissions
from comprehend_jobs.handler_asset import ASSET_EXCLUDES, handler_asset_path
from comprehend_jobs.job_types import JobType
from comprehend_jobs.managed_policies import move_inline_policy_to_managed
from comprehend_jobs.template_checks import (
    DEPLOY_TIME_FUNCTION,
    NO_RESOURCE_LEVEL_ACTIONS,
    skip_checks,
)

#: The newest Python runtime this aws-cdk-lib knows (cdk-nag checks for the newest).
HANDLER_RUNTIME = lambda_.Runtime.PYTHON_3_14
#: How long the waiting provider polls a job before CloudFormation gives up. The Provider
#: framework allows up to 2 hours; 1 hour keeps a failed deploy from hanging for longer.
WAIT_TIMEOUT = Duration.hours(1)
#: How often the waiter asks Comprehend for the job's status.
WAIT_POLL_INTERVAL = Duration.minutes(1)
#: How long the handler's logs are kept.
LOG_RETENTION = logs.RetentionDays.ONE_YEAR


@jsii.implements(IResolvable)
class _LazyDocument:
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


class JobHandler(Construct):
    """The custom-resource handler of every job in one stack; use ``JobHandler.of(scope)``."""

    #: The construct ID at stack level (public API: changing it replaces resources).
    ID = "ComprehendJobsHandler"

    @classmethod
    def of(cls, scope: Construct) -> JobHandler:
        """The stack's handler, created on first use."""
        stack = Stack.of(scope)
        existing = stack.node.try_find_child(cls.ID)
        if isinstance(existing, JobHandler):
            return existing
        return cls(stack, cls.ID)

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        stack = Stack.of(self)
        self.permissions = CallerPermissions(
            job_arn_pattern=lambda t: _job_arn_pattern(stack, t),
            sort_key=lambda value: json.dumps(stack.resolve(value), sort_keys=True),
            is_token=Token.is_unresolved,
        )
        #: Encrypts the handler's and the framework's log groups.
        self.log_key = kms.Key(
            self,
            "LogKey",
            description="Encrypts the Comprehend job handler's CloudWatch Logs",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.log_key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchLogsOfThisAccount",
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
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
        )
        #: The role of the handler's functions (Start/Describe/Stop the jobs).
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Starts, describes and stops the stack's Comprehend analysis jobs",
        )
        #: The caller's managed policies (HIPAA, NIST and PCI reject inline policies): one,
        #: and another whenever the jobs' model, role and key ARNs outgrow the ones made.
        self.policies: list[iam.CfnManagedPolicy] = []
        self._functions: list[lambda_.Function] = []
        #: The first caller policy: the fixed statements, and the only one of most stacks.
        self.policy = self._add_policy()
        self.on_event_function = self._function("OnEvent", "analysis_job.on_event")
        self._is_complete_function: lambda_.Function | None = None
        self._textract_acknowledged = False

    def register(self, *, job_type: JobType, **needs: Any) -> None:
        """Add one job's needs to the caller policy; the first job of a type also
        acknowledges that type's ``<type>-job/*`` resource, and only that."""
        if job_type not in self.permissions.job_types:
            pattern = _job_arn_pattern(Stack.of(self), job_type)
            acknowledge(
                self.policy,
                COMPREHEND_JOB_IDS,
                applies_to=[resource_detail(self.policy, pattern)],
            )
        if needs.get("textract") and not self._textract_acknowledged:
            acknowledge(self.policy, NO_RESOURCE_LEVEL_PERMISSIONS)
            self._textract_acknowledged = True
        self.permissions.add_job(job_type=job_type, **needs)
        while len(self.policies) < self.permissions.shards_needed():
            self._add_policy()

    def _add_policy(self) -> iam.CfnManagedPolicy:
        index = len(self.policies)
        policy = iam.CfnManagedPolicy(
            self,
            "CallerPolicy" if index == 0 else f"CallerPolicy{index + 1}",
            description="What the Comprehend job handler may do, for every job in the stack",
            roles=[self.role.role_name],
            policy_document=_LazyDocument(self.permissions, index, self.policies),
        )
        self.policies.append(policy)
        # A function's first invocation must find all of its permissions in place.
        for function in self._functions:
            function.node.add_dependency(policy)
        return policy

    @property
    def is_complete_function(self) -> lambda_.Function:
        """The ``is_complete`` function, created the first time a waiting job asks for it."""
        if self._is_complete_function is None:
            self._is_complete_function = self._function("IsComplete", "analysis_job.is_complete")
        return self._is_complete_function

    def log_group(self, id: str, *, scope: Construct | None = None) -> logs.LogGroup:
        """A log group encrypted with the log key, kept for LOG_RETENTION, made under
        ``scope`` (default: the handler) so every log group of the library is alike."""
        return logs.LogGroup(
            scope or self,
            id,
            retention=LOG_RETENTION,
            encryption_key=self.log_key,
            removal_policy=RemovalPolicy.DESTROY,
        )

    def _function(self, id: str, handler: str) -> lambda_.Function:
        log_group = self.log_group(f"{id}Logs")
        self.permissions.add_statement(
            log_write_statement(log_group, sid=f"Write{id}Logs").to_statement_json()
        )
        function = lambda_.Function(
            self,
            id,
            runtime=HANDLER_RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=handler,
            code=lambda_.Code.from_asset(handler_asset_path(), exclude=ASSET_EXCLUDES),
            role=self.role,
            memory_size=256,
            timeout=Duration.minutes(2),
            log_group=log_group,
            description="Starts, describes and stops Amazon Comprehend analysis jobs",
        )
        # The function's first invocation must find all of its permissions in place.
        for policy in self.policies:
            function.node.add_dependency(policy)
        self._functions.append(function)
        acknowledge(function, DEPLOY_TIME_FUNCTIONS)
        skip_checks(function, DEPLOY_TIME_FUNCTION)
        return function

    def framework_role(
        self, id: str, *, invokes: list[lambda_.IFunction], log_group: logs.ILogGroup
    ) -> iam.IRole:
        """A role for the Provider framework's functions: no AWS managed policies, and one
        managed policy of ours that lets it invoke exactly ``invokes`` (unqualified ARNs)
        and write to ``log_group``. The Provider gets a view of it that ignores grants, so
        the framework adds no inline policy with a ``function:*`` wildcard."""
        role = iam.Role(
            self,
            id,
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Runs the custom resource provider framework for Comprehend jobs",
        )
        iam.ManagedPolicy(
            self,
            f"{id}Policy",
            roles=[role],
            statements=[
                iam.PolicyStatement(
                    actions=["lambda:InvokeFunction"],
                    resources=[f.function_arn for f in invokes],
                ),
                log_write_statement(log_group),
            ],
        )
        return role.without_policy_updates()


class JobProvider(Construct):
    """A ``custom_resources.Provider`` shared by the jobs of one stack; use ``JobProvider.of``.

    There are at most two per stack: one for jobs that return as soon as they are started,
    and one for jobs that wait for completion (it alone has the waiter state machine).
    """

    #: Construct IDs at stack level (public API: changing them replaces resources).
    ID = "ComprehendJobsProvider"
    WAITING_ID = "ComprehendJobsWaitingProvider"

    @classmethod
    def of(cls, scope: Construct, *, waiting: bool) -> JobProvider:
        """The stack's provider for waiting or non-waiting jobs, created on first use."""
        stack = Stack.of(scope)
        id = cls.WAITING_ID if waiting else cls.ID
        existing = stack.node.try_find_child(id)
        if isinstance(existing, JobProvider):
            return existing
        return cls(stack, id, waiting=waiting)

    def __init__(self, scope: Construct, id: str, *, waiting: bool) -> None:
        super().__init__(scope, id)
        self.handler = JobHandler.of(self)
        self.waiting = waiting
        framework_logs = self.handler.log_group(f"{id}FrameworkLogs")
        on_event_role = self.handler.framework_role(
            f"{id}OnEventRole",
            invokes=[self.handler.on_event_function],
            log_group=framework_logs,
        )
        waiter: dict[str, Any] = {}
        if waiting:
            complete_role = self.handler.framework_role(
                f"{id}CompleteRole",
                invokes=[self.handler.is_complete_function],
                log_group=framework_logs,
            )
            waiter = {
                "is_complete_handler": self.handler.is_complete_function,
                "framework_complete_and_timeout_role": complete_role,
                "query_interval": WAIT_POLL_INTERVAL,
                "total_timeout": WAIT_TIMEOUT,
                # The framework leaves the waiter's logging off unless told otherwise.
                "disable_waiter_state_machine_logging": False,
                "waiter_state_machine_log_options": cr.LogOptions(
                    destination=self.handler.log_group(f"{id}WaiterLogs"),
                    include_execution_data=False,
                    level=sfn.LogLevel.ALL,
                ),
            }
        self.provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=self.handler.on_event_function,
            framework_on_event_role=on_event_role,
            log_group=framework_logs,
            # The framework functions keep the handler's ARN in their environment: the
            # handler's own key encrypts it rather than the account's default Lambda key.
            provider_function_env_encryption=self.handler.log_key,
            **waiter,
        )
        # On each framework function, not on the whole Provider: an acknowledgment covers
        # no more than the resources that have the finding.
        for child in self.provider.node.children:
            if isinstance(child, lambda_.Function):
                acknowledge(child, DEPLOY_TIME_FUNCTIONS)
                skip_checks(child, DEPLOY_TIME_FUNCTION)
        if waiting:
            _harden_waiter(self.provider)

    @property
    def service_token(self) -> str:
        """The ServiceToken of the custom resources this provider serves."""
        return self.provider.service_token


def _harden_waiter(provider: cr.Provider) -> None:
    """Trace the framework's waiter state machine and keep its role's policy managed.

    The Provider builds the waiter, its role and the role's (inline) policy itself, with
    no props for tracing or the role; these are the two fixes configuration can make.
    """
    waiter = provider.node.find_child("waiter-state-machine")
    assert isinstance(waiter, Construct)
    state_machine = waiter.node.default_child
    assert isinstance(state_machine, sfn.CfnStateMachine)
    state_machine.tracing_configuration = sfn.CfnStateMachine.TracingConfigurationProperty(
        enabled=True
    )
    role = waiter.node.find_child("Role")
    assert isinstance(role, iam.Role)
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=[
                "xray:PutTelemetryRecords",
                "xray:PutTraceSegments",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
            ],
            resources=["*"],
        )
    )
    managed = move_inline_policy_to_managed(waiter, "ManagedPolicy", role)
    state_machine.node.add_dependency(managed)
    acknowledge(managed, NO_RESOURCE_LEVEL_PERMISSIONS)
    skip_checks(managed, NO_RESOURCE_LEVEL_ACTIONS, only=["CKV_AWS_111"])
    framework_functions = [
        provider.node.find_child(name) for name in ("framework-isComplete", "framework-onTimeout")
    ]
    acknowledge(
        managed,
        PROVIDER_FRAMEWORK_INVOKE,
        applies_to=[
            resource_detail(managed, f"{f.function_arn}:*")
            for f in framework_functions
            if isinstance(f, lambda_.Function)
        ],
    )


def _job_arn_pattern(stack: Stack, job_type: JobType) -> str:
    return stack.format_arn(service="comprehend", resource=job_type.arn_resource, resource_name="*")


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
