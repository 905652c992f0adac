"""The per-stack Provider that serves every job's custom resource.

One ``custom_resources.Provider`` with the waiter state machine serves every job of the
stack, waiting or not, so a job's ``ServiceToken`` never depends on its props. Its handler
functions, role and log groups are the stack's ``JobHandler``
(``comprehend_jobs.job_handler``).
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import custom_resources as cr
from constructs import Construct, Node

from comprehend_jobs._private.managed_policies import move_inline_policy_to_managed
from comprehend_jobs.compliance.acknowledgments import (
    DEPLOY_TIME_FUNCTIONS,
    NO_RESOURCE_LEVEL_PERMISSIONS,
    PROVIDER_FRAMEWORK_INVOKE,
    acknowledge,
    resource_details,
)
from comprehend_jobs.compliance.checkov import (
    DEPLOY_TIME_FUNCTION,
    NO_RESOURCE_LEVEL_ACTIONS,
    skip_checks,
)
from comprehend_jobs.job_handler import JobHandler

#: How long the waiting provider polls a job before CloudFormation gives up. The Provider
#: framework allows up to 2 hours; 1 hour keeps a failed deploy from hanging for longer.
WAIT_TIMEOUT = Duration.hours(1)
#: How often the waiter asks Comprehend for the job's status.
WAIT_POLL_INTERVAL = Duration.minutes(1)


class JobProvider(Construct):
    """The ``custom_resources.Provider`` every job of one stack is served by; use
    ``JobProvider.of``.

    One per stack, always with the waiter: a job's ``WaitForCompletion`` only changes what
    ``is_complete`` answers (at once, or when the job has ended), never which provider
    serves it. CloudFormation refuses to change a custom resource's ``ServiceToken``, so
    with one provider per waiting mode, switching ``wait_for_completion`` on a deployed job
    would fail the update. The waiter costs nothing while idle (a Step Functions state
    machine and two functions that run only during deployments); a job that does not wait
    completes on the waiter's first poll, a second or two after it started.
    """

    #: The construct ID at stack level (public API: changing it replaces resources, and
    #: every job's ServiceToken with them).
    ID = "ComprehendJobsProvider"

    @classmethod
    def of(cls, scope: Construct) -> JobProvider:
        """The stack's provider, created on first use."""
        stack = Stack.of(scope)
        existing = stack.node.try_find_child(cls.ID)
        if isinstance(existing, JobProvider):
            return existing
        return cls(stack, cls.ID)

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.handler = JobHandler.of(self)
        #: The jobs' synth check of each storage's input (by the storage's construct
        #: path): one check, and one error, however many jobs of the stack share it.
        self.input_checks: dict[str, Any] = {}
        framework_logs = self.handler.log_group(f"{id}FrameworkLogs")
        on_event_role_id = f"{id}OnEventRole"
        on_event_role = self.handler.framework_role(on_event_role_id)
        complete_role_id = f"{id}CompleteRole"
        complete_role = self.handler.framework_role(complete_role_id)
        invoked: list[lambda_.IFunction] = [
            self.handler.on_event_function,
            self.handler.is_complete_function,
        ]
        self.provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=self.handler.on_event_function,
            framework_on_event_role=on_event_role,
            log_group=framework_logs,
            # The framework functions keep the handler's ARN in their environment: the
            # handler's log key encrypts it rather than the account's default Lambda key.
            provider_function_env_encryption=self.handler.log_key,
            is_complete_handler=self.handler.is_complete_function,
            framework_complete_and_timeout_role=complete_role,
            query_interval=WAIT_POLL_INTERVAL,
            total_timeout=WAIT_TIMEOUT,
            # The framework leaves the waiter's logging off unless told otherwise.
            disable_waiter_state_machine_logging=False,
            waiter_state_machine_log_options=cr.LogOptions(
                destination=self.handler.log_group(f"{id}WaiterLogs"),
                include_execution_data=False,
                level=sfn.LogLevel.ALL,
            ),
        )
        # Found once (each ``.node`` and ``find_child`` is a round trip into jsii).
        provider_node = self.provider.node
        on_event, is_complete, on_timeout = (
            _framework_function(provider_node, name)
            for name in ("framework-onEvent", "framework-isComplete", "framework-onTimeout")
        )
        # The framework's grants (invoke, GetFunction, StartExecution), kept and managed.
        self.handler.keep_framework_policy_managed(
            on_event_role_id,
            on_event_role,
            functions=[on_event],
            invoked=invoked,
            log_group=framework_logs,
        )
        self.handler.keep_framework_policy_managed(
            complete_role_id,
            complete_role,
            functions=[is_complete, on_timeout],
            invoked=invoked,
            log_group=framework_logs,
        )
        # On each framework function, not on the whole Provider: an acknowledgment covers
        # no more than the resources that have the finding.
        for child in provider_node.children:
            if isinstance(child, lambda_.Function):
                acknowledge(child, DEPLOY_TIME_FUNCTIONS)
                skip_checks(child, DEPLOY_TIME_FUNCTION)
        _harden_waiter(provider_node, framework_functions=[is_complete, on_timeout])

    @property
    def service_token(self) -> str:
        """The ServiceToken of the custom resources this provider serves."""
        return self.provider.service_token


def _framework_function(provider_node: Node, id: str) -> lambda_.Function:
    function = provider_node.find_child(id)
    assert isinstance(function, lambda_.Function)
    return function


def _harden_waiter(provider_node: Node, *, framework_functions: list[lambda_.Function]) -> None:
    """Trace the framework's waiter state machine and keep its role's policy managed.

    The Provider builds the waiter, its role and the role's (inline) policy itself, with
    no props for tracing or the role; these are the two fixes configuration can make.
    ``framework_functions``: the functions the waiter invokes (isComplete, onTimeout).
    """
    waiter = provider_node.find_child("waiter-state-machine")
    assert isinstance(waiter, Construct)
    waiter_node = waiter.node
    state_machine = waiter_node.default_child
    assert isinstance(state_machine, sfn.CfnStateMachine)
    state_machine.tracing_configuration = sfn.CfnStateMachine.TracingConfigurationProperty(
        enabled=True
    )
    role = waiter_node.find_child("Role")
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
    acknowledge(
        managed,
        PROVIDER_FRAMEWORK_INVOKE,
        applies_to=resource_details(managed, [f"{f.function_arn}:*" for f in framework_functions]),
    )
