"""JobHandler: the custom-resource handler of every job in one stack.

One ``JobHandler`` per stack holds the handler code (one Lambda function for ``on_event``
and one for ``is_complete``), its role, its encrypted log groups and the caller policy.
The stack's one Provider (``comprehend_jobs._private.provider``) serves every job through
it, so each extra job adds exactly one resource to the template: its
``Custom::ComprehendAnalysisJob``.
"""

from __future__ import annotations

import json
from typing import Any

import jsii
from aws_cdk import (
    Annotations,
    Aspects,
    Aws,
    CfnOutput,
    Duration,
    IAspect,
    RemovalPolicy,
    Stack,
    Token,
)
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct

from comprehend_jobs._private.caller_permissions import CallerPermissions
from comprehend_jobs._private.handler_asset import ASSET_EXCLUDES, handler_asset_path
from comprehend_jobs._private.handler_resources import (
    HANDLER_RUNTIME,
    JOB_TYPE_PLACEHOLDER,
    LOG_RETENTION,
    CallerPolicyDocument,
    job_arn_pattern,
    log_key_statement,
    log_write_statement,
)
from comprehend_jobs._private.managed_policies import move_inline_policy_to_managed
from comprehend_jobs._private.validation import Problems
from comprehend_jobs.compliance.acknowledgments import (
    COMPREHEND_JOB_IDS,
    DEPLOY_TIME_FUNCTIONS,
    NO_RESOURCE_LEVEL_PERMISSIONS,
    PROVIDER_FRAMEWORK_INVOKE,
    acknowledge,
    resource_detail,
    resource_details,
)
from comprehend_jobs.compliance.checkov import DEPLOY_TIME_FUNCTION, skip_checks
from comprehend_jobs.job_types import JOB_TYPES, JobType

__all__ = [
    "LOG_KEY_POLICY_WARNING",
    "JobHandler",
]

#: The synth warning on a brought log key whose policy this stack cannot add to.
LOG_KEY_POLICY_WARNING = "comprehend-jobs:log-key-policy"


@jsii.implements(IAspect)
class _ConcurrentJobsWarning:
    """Warns once that the stack registers more jobs of one type than Comprehend runs at
    once by default."""

    def __init__(self, stem: str, counts: dict[str, int]) -> None:
        self._stem = stem
        self._counts = counts

    def visit(self, node: IConstruct) -> None:
        if not isinstance(node, JobHandler):
            return
        quota = JobHandler.CONCURRENT_JOBS_QUOTA
        Annotations.of(node).add_warning_v2(
            "comprehend-jobs:concurrent-jobs",
            f"This stack starts {self._counts[self._stem]} {self._stem} jobs at once; "
            f"Amazon Comprehend allows {quota} concurrently active jobs per job type per "
            "account by default (Service Quotas): the jobs over it can fail to start and "
            "fail the deployment partway. Split the jobs across deployments, request a "
            "quota increase in Service Quotas, or chain the jobs (wait_for_completion=True "
            "and a dependency from each job on the one before).",
        )


class JobHandler(Construct):
    """The custom-resource handler of every job in one stack; use ``JobHandler.of(scope)``.

    By default it makes a KMS key of its own (``LogKey``, rotation on, always retained: a
    log event outlives the stack's use of the key, and a retained key costs about USD 1 a
    month until its deletion is scheduled) for its log groups and the functions'
    environments. To bring your own key instead, call
    ``JobHandler.use_log_key(scope, key)`` (or pass ``log_key=`` to ``ComprehendAnalysis``)
    before the stack's first job.

    Its role, caller policy and ``on_event`` function are made with the first job (or the
    first read of ``role``, ``policy``, ``policies`` or ``on_event_function``): a stack that
    only uploads input documents gets the log key for their logs and nothing that may
    start, describe or stop jobs.

    :param log_key: encrypts the handler's log groups and the functions' environments.
        Default: None (a key the handler makes, ``LogKey``, rotation on).
    """

    #: The construct ID at stack level (public API: changing it replaces resources).
    ID = "ComprehendJobsHandler"
    #: Comprehend's default quota of concurrently active jobs per job type and account
    #: (Service Quotas); a stack that registers more of one type is warned at synth.
    CONCURRENT_JOBS_QUOTA = 10

    @classmethod
    def of(cls, scope: Construct) -> JobHandler:
        """The stack's handler, created on first use."""
        stack = Stack.of(scope)
        existing = stack.node.try_find_child(cls.ID)
        if isinstance(existing, JobHandler):
            return existing
        return cls(stack, cls.ID)

    @staticmethod
    def log_key_statement(stack: Stack) -> iam.PolicyStatement:
        """The key-policy statement that lets CloudWatch Logs of ``stack``'s Region use a
        key for the log groups of ``stack``'s account and Region, and for nothing else: add
        it to the policy of a key given to ``use_log_key``.
        """
        return log_key_statement(stack)

    @classmethod
    def use_log_key(cls, scope: Construct, key: kms.IKey) -> JobHandler:
        """Use ``key`` for the library's own log groups and function environments in the
        stack of ``scope``, instead of a key the library makes: the handler then creates no
        KMS key. Call it once per stack, before anything asks for the stack's handler (a
        job, a ``ComprehendAnalysis``, ``JobHandler.of``); calling it again with the same
        key is harmless. Returns the stack's handler, created now.

        The key policy must let CloudWatch Logs of the stack's Region use the key:
        principal ``logs.<region>.<url suffix>``, ``kms:Encrypt``, ``kms:Decrypt``,
        ``kms:ReEncrypt*``, ``kms:GenerateDataKey*`` and ``kms:DescribeKey``, conditioned on
        ``kms:EncryptionContext:aws:logs:arn`` being a log group of this account and Region
        (``JobHandler.log_key_statement(stack)`` is that statement). A ``kms.Key`` of the
        same app gets it here; an imported key's owner must add it: the stack output
        ``ComprehendJobsHandlerLogKeyPolicy...`` holds it, and the synth warning
        ``comprehend-jobs:log-key-policy`` says so. Lambda encrypts the functions'
        environments with it: the principals that deploy the stack need
        ``kms:CreateGrant``, ``kms:Encrypt`` and ``kms:Decrypt`` on it (a default key
        policy, which delegates to IAM, allows that to administrators). The key's
        removal policy stays yours.

        :raises PropValidationError: when the stack's handler already exists with another
            key (its own or another brought one).
        """
        problems = Problems("JobHandler.use_log_key")
        cls.check_log_key(problems, scope, key)
        problems.raise_if_any()
        existing = Stack.of(scope).node.try_find_child(cls.ID)
        if isinstance(existing, JobHandler):
            return existing
        return cls(Stack.of(scope), cls.ID, log_key=key)

    @classmethod
    def check_log_key(
        cls, problems: Problems, scope: Construct, key: kms.IKey, *, prop: str = "key"
    ) -> None:
        """Record a problem with ``prop`` when ``key`` cannot become the log key of the
        stack of ``scope`` (its handler already exists with another key). Creates nothing."""
        existing = Stack.of(scope).node.try_find_child(cls.ID)
        if isinstance(existing, JobHandler) and existing.log_key is not key:
            problems.add(
                prop,
                key.node.path,
                f"a log key must be chosen before the stack's job handler exists, and "
                f"{existing.node.path} already exists with the key "
                f"{existing.log_key.node.path}",
                "call JobHandler.use_log_key(stack, key) (or pass log_key= to the first "
                "ComprehendAnalysis) before the stack's first job or ComprehendAnalysis, "
                "and give every ComprehendAnalysis of the stack the same key",
            )

    def __init__(self, scope: Construct, id: str, *, log_key: kms.IKey | None = None) -> None:
        """Use ``JobHandler.of(scope)`` or ``JobHandler.use_log_key(scope, key)`` instead
        (the class documents ``log_key``)."""
        super().__init__(scope, id)
        stack = Stack.of(self)
        # One ARN pattern made and resolved per stack; each job type's is that pattern
        # with the type's resource name put in (the rest of the ARN does not depend on it).
        pattern = job_arn_pattern(stack)
        self._job_arn_pattern = pattern
        self.permissions = CallerPermissions(
            job_arn_pattern=lambda t: pattern.replace(JOB_TYPE_PLACEHOLDER, t.arn_resource),
            sort_key=lambda value: json.dumps(stack.resolve(value), sort_keys=True),
            is_token=Token.is_unresolved,
        )
        #: The key the handler made, or None when one was brought.
        self.own_log_key: kms.Key | None = None
        if log_key is None:
            # Retained whatever the network: CloudWatch Logs keeps each event under the
            # key it was written with, so the log groups (which stay in the stack when the
            # log key is swapped, or are retained, like the pattern's flow logs) hold
            # events only this key decrypts. A deleted key would make them unreadable.
            self.own_log_key = kms.Key(
                self,
                "LogKey",
                description="Encrypts the Comprehend job handler's CloudWatch Logs",
                enable_key_rotation=True,
                removal_policy=RemovalPolicy.RETAIN,
            )
            self.own_log_key.add_to_resource_policy(log_key_statement(stack))
        else:
            self._let_logs_use(stack, log_key)
        #: Encrypts the handler's and the framework's log groups and the functions'
        #: environments: the brought key, or the one the handler made.
        self.log_key: kms.IKey = log_key or self.own_log_key  # type: ignore[assignment]
        # Jobs registered per job type (stem), for the concurrent-jobs quota warning.
        self._job_counts: dict[str, int] = {}
        # The caller (role, policies, onEvent function) is made on first use: a stack
        # that only needs the log key (input documents uploaded by a JobStorage with no
        # job in the stack) gets no role that may start, describe or stop jobs.
        self._role: iam.Role | None = None
        self._policies: list[iam.CfnManagedPolicy] = []
        self._functions: list[lambda_.Function] = []
        self._on_event_function: lambda_.Function | None = None
        self._is_complete_function: lambda_.Function | None = None

    def _let_logs_use(self, stack: Stack, key: kms.IKey) -> None:
        """Without the log statement in a brought key's policy, CloudFormation fails to
        create every encrypted log group of the stack. A key of this app gets it (an
        identical statement already there is kept once); an imported key's policy is its
        owner's, so the statement becomes the output ``LogKeyPolicy`` and a warning."""
        statement = log_key_statement(stack)
        if key.add_to_resource_policy(statement).statement_added:
            return
        output = CfnOutput(
            self,
            "LogKeyPolicy",
            description="The statement the owner of the brought log key must add to its "
            "key policy so that CloudWatch Logs can encrypt the stack's log groups",
            value=stack.to_json_string(statement.to_statement_json()),
        )
        Annotations.of(self).add_warning_v2(
            LOG_KEY_POLICY_WARNING,
            f"The log key {key.node.path} is imported, so this stack cannot add to its "
            "key policy; unless the policy lets CloudWatch Logs use it, CloudFormation "
            "fails to create the stack's encrypted log groups. Its owner must add the "
            f"statement in the stack output {stack.resolve(output.logical_id)} (Sid "
            "AllowCloudWatchLogsOfThisAccount: principal logs.<region>.<url suffix>, "
            "kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey* and "
            "kms:DescribeKey, for log groups of this account and Region; "
            "JobHandler.log_key_statement(stack)) before the deployment.",
        )

    def _make_caller(self) -> None:
        if self._role is not None:
            return
        self._role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Starts, describes and stops the stack's Comprehend analysis jobs",
        )
        policy = self._add_policy()
        # Describe, Stop and the tag actions are granted on every job type's '<type>-job/*'
        # (a removed job's Delete runs after the policy update; a rollback may return to a
        # job of a dropped type), so each of those patterns is in the policy.
        detail = resource_detail(policy, self._job_arn_pattern)
        acknowledge(
            policy,
            COMPREHEND_JOB_IDS,
            applies_to=[
                detail.replace(JOB_TYPE_PLACEHOLDER, job_type.arn_resource)
                for _, job_type in sorted(JOB_TYPES.items())
            ],
        )
        # List<Type>Jobs (in every caller policy: the handler finds a job by name before
        # starting one) and, with a document reader, Textract authorize no resource.
        acknowledge(policy, NO_RESOURCE_LEVEL_PERMISSIONS)
        # A Delete reads its own stack's status: in the cleanup of an update, a replaced
        # job that runs on is waited for before cleanup deletes what it runs with.
        self.permissions.add_statement(
            {
                "Sid": "ReadOwnStackStatus",
                "Effect": "Allow",
                "Action": "cloudformation:DescribeStacks",
                "Resource": Aws.STACK_ID,
            }
        )
        self._on_event_function = self._function("OnEvent", "analysis_job.on_event")

    @property
    def role(self) -> iam.Role:
        """The role of the handler's functions (Start/Describe/Stop the jobs), made with
        the first caller policy and the ``on_event`` function on first use."""
        self._make_caller()
        assert self._role is not None
        return self._role

    @property
    def policies(self) -> list[iam.CfnManagedPolicy]:
        """The caller's managed policies (HIPAA, NIST and PCI reject inline policies): one,
        and another whenever the jobs' model, role and key ARNs outgrow the ones made."""
        self._make_caller()
        return self._policies

    @property
    def policy(self) -> iam.CfnManagedPolicy:
        """The first caller policy: the fixed statements, and the only one of most stacks."""
        return self.policies[0]

    @property
    def on_event_function(self) -> lambda_.Function:
        """The ``on_event`` function every job's custom resource is served by."""
        self._make_caller()
        assert self._on_event_function is not None
        return self._on_event_function

    def register(self, *, job_type: JobType, **needs: Any) -> None:
        """Add one job's needs to the caller policy, and count the job: a stack with more
        than ``CONCURRENT_JOBS_QUOTA`` jobs of one type gets one synth warning for it."""
        count = self._job_counts.get(job_type.stem, 0) + 1
        self._job_counts[job_type.stem] = count
        if count == self.CONCURRENT_JOBS_QUOTA + 1:
            # Warned at synthesis, once per type, when the type's final count is known (an
            # annotation's message is never resolved, so it cannot be a lazy token).
            Aspects.of(self).add(_ConcurrentJobsWarning(job_type.stem, self._job_counts))
        self.permissions.add_job(job_type=job_type, **needs)
        while len(self.policies) < self.permissions.shards_needed():
            self._add_policy()

    def _add_policy(self) -> iam.CfnManagedPolicy:
        index = len(self._policies)
        policy = iam.CfnManagedPolicy(
            self,
            "CallerPolicy" if index == 0 else f"CallerPolicy{index + 1}",
            description="What the Comprehend job handler may do, for every job in the stack",
            roles=[self.role.role_name],
            policy_document=CallerPolicyDocument(self.permissions, index, self._policies),
        )
        self._policies.append(policy)
        # A function's first invocation must find all of its permissions in place.
        for function in self._functions:
            function.node.add_dependency(policy)
        return policy

    @property
    def is_complete_function(self) -> lambda_.Function:
        """The ``is_complete`` function, created with the stack's provider (every job goes
        through its waiter), so a handler that serves no job makes none."""
        if self._is_complete_function is None:
            self._is_complete_function = self._function("IsComplete", "analysis_job.is_complete")
        return self._is_complete_function

    def log_group(self, id: str, *, scope: Construct | None = None) -> logs.LogGroup:
        """A log group encrypted with the log key, kept for LOG_RETENTION, made under
        ``scope`` (default: the handler) so every log group of the library is alike."""
        # Deleted with the stack (deploy-time logs, of no use without it): its events go
        # with it, so none outlives the (retained) key that encrypts them.
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

    def framework_role(self, id: str) -> iam.Role:
        """A role for Provider framework functions: no AWS managed policy. The Provider
        grants into it (invoke the handler functions, start the waiter); call
        ``keep_framework_policy_managed`` once the Provider is built."""
        return iam.Role(
            self,
            id,
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Runs the custom resource provider framework for Comprehend jobs",
        )

    def keep_framework_policy_managed(
        self,
        id: str,
        role: iam.Role,
        *,
        functions: list[lambda_.Function],
        invoked: list[lambda_.IFunction],
        log_group: logs.ILogGroup,
    ) -> iam.ManagedPolicy:
        """Give a framework role (made by ``framework_role(id)``) the right to write to
        ``log_group`` and move everything granted to it into a managed policy
        ``<id>Policy`` (HIPAA, NIST and PCI reject inline policies).

        aws-cdk-lib's Provider grants each framework function ``lambda:InvokeFunction``
        on every handler function (``invoked``) and its versions (``<ARN>:*``),
        ``lambda:GetFunction`` on it, and the onEvent function ``states:StartExecution``
        on the waiter: the framework runtime needs all of them. Each of ``functions``
        (the framework functions the role runs) then depends on the managed policy: the
        function's own dependency on its role no longer covers the inline policy's
        replacement.
        """
        role.add_to_principal_policy(log_write_statement(log_group))
        managed = move_inline_policy_to_managed(self, f"{id}Policy", role)
        for function in functions:
            function.node.add_dependency(managed)
        # grantInvoke names each function's versions and aliases too ('<ARN>:*').
        acknowledge(
            managed,
            PROVIDER_FRAMEWORK_INVOKE,
            applies_to=resource_details(managed, [f"{f.function_arn}:*" for f in invoked]),
        )
        return managed
