"""The calls a deployed stack makes, listed from the code that makes them.

Not from our policies: each family below names the code whose calls it lists, and reads
from the template only *what* that code is pointed at (a function's environment, a job's
``Request``), never what a policy allows.

- ``framework``: aws-cdk-lib's Provider runtime (``custom-resources/lib/provider-framework/
  runtime/framework.js`` and ``outbound.js``): the onEvent function invokes the user's
  onEvent (``lambda:InvokeFunction``; ``lambda:GetFunction`` when it waits for a function
  that is not active yet) and, when an isComplete handler is configured, starts the waiter
  (``states:StartExecution``); the isComplete function invokes the user's isComplete; the
  waiter state machine invokes the isComplete and onTimeout functions named in its
  definition, delivers its logs and traces.
- ``logs``: every Lambda function writes to its log group; CloudWatch Logs uses each log
  group's KMS key; VPC flow logs assume their role and write their group.
- ``handler``: ``lambda/analysis_job.py``, through the job-type table it shares with the
  constructs: Start<Type>Job (authorized on the job and on the model or flywheel),
  ``iam:PassRole`` of the DataAccessRole to Comprehend, ``comprehend:TagResource`` (every
  start carries the handler's key tag), List<Type>Jobs and ``ListTagsForResource`` (it
  finds a job by name and key before starting one: repeats, rollbacks), ``TagResource``
  and ``UntagResource`` (an update re-tags the job), Describe<Type>Job (update,
  is_complete, delete), Stop<Type>Job (delete, when the type has Stop and StopOnDelete
  is on), and the volume-key calls the caller may need.
- ``comprehend``: Amazon Comprehend running the job as the DataAccessRole (COMPREHEND_FACTS
  §2-4): assume the role (``aws:SourceAccount``/``aws:SourceArn``), read the input prefix,
  write under the output prefix, use the input bucket's key, the output key and the
  volume key, create the job's network interfaces, read through Textract.
- ``upload``: aws-cdk-lib's BucketDeployment handler (``custom-resource-handlers/dist/
  aws-s3-deployment/bucket-deployment-handler/index.py``) on Create and Update: ``aws s3
  cp`` of each source zip from the asset bucket, then ``aws s3 sync`` into the destination
  prefix (it lists the prefix and puts each file, through S3 with the key its
  ``SystemMetadata`` names (``--sse aws:kms --sse-kms-key-id``), else the bucket's default
  key when that is SSE-KMS: kms:GenerateDataKey, and kms:Decrypt for multipart uploads),
  deleting under the prefix only when ``Prune`` is on. Nothing on Delete while
  ``RetainOnDelete`` is on.

A bucket the template does not make has a default key only as its owner set it: the
stack's author states it (``bucket_keys``), as the library's user states it with
``input_bucket_key=``; otherwise such a bucket is taken to encrypt without KMS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from comprehend_jobs._lambda.request_builder import JOB_KEY_TAG
from comprehend_jobs.job_types import JOB_TYPES, JobType
from rehearsal.template import DeployedTemplate

COMPREHEND = "comprehend.amazonaws.com"
#: The nine EC2 actions Comprehend documents for jobs in a VPC (COMPREHEND_FACTS §2b).
#: Written out here on purpose rather than imported from the library: the rehearsal lists
#: what the service calls from its documentation, never from the grants it checks.
_VPC_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
)
_TEXTRACT_ACTIONS = ("textract:DetectDocumentText", "textract:AnalyzeDocument")
#: Comprehend's output folder infix per job type is undocumented; any name under the
#: prefix must be writable, so one representative object is enough.
OUTPUT_OBJECT = "{account}-JOB-{job_id}/output/output.tar.gz"
#: The key behind an alias is unknown at synth: IAM sees some key of the alias's account.
ANY_KEY_ID = "00000000-aaaa-bbbb-cccc-000000000000"


@dataclass(frozen=True)
class Call:
    """One request the deployed system sends, and who sends it."""

    #: framework, logs, handler, comprehend (see the module doc).
    family: str
    #: Who calls, readably (a function or role with its logical ID, or a service).
    caller: str
    action: str
    resource: str
    #: The calling role's logical ID, or None for a service principal.
    role: str | None = None
    #: The service principal, when a service calls on its own behalf.
    service: str | None = None
    #: Request context keys.
    context: Mapping[str, Any] = field(default_factory=dict)
    #: The resource's own policy, when the template holds it.
    resource_policy: Mapping[str, Any] | None = None
    #: Why the call happens (the code that makes it).
    why: str = ""
    #: The account that owns the resource.
    resource_account: str = ""
    #: Set when the resource is not in the template (an imported role, a foreign key):
    #: the identity side is still evaluated; the resource side is its owner's.
    external: str = ""

    def __str__(self) -> str:
        return f"[{self.family}] {self.caller}: {self.action} on {self.resource} ({self.why})"


class CallLister:
    """Lists every call of one deployed template.

    ``bucket_keys``: the default KMS key (key ARN) of buckets the template does not make,
    by bucket name, as their owner configured them.
    """

    def __init__(
        self, deployed: DeployedTemplate, bucket_keys: Mapping[str, str] | None = None
    ) -> None:
        self.t = deployed
        self.env = deployed.env
        self.bucket_keys = dict(bucket_keys or {})

    # -- lookups ---------------------------------------------------------------------------

    def function_by_arn(self, arn: Any) -> str | None:
        """The logical ID of the Lambda function with this ARN (None: not in the template)."""
        if not isinstance(arn, str):
            return None
        return self.t.by_attribute("AWS::Lambda::Function", "Arn", arn)

    def role_of(self, function: str) -> str | None:
        """The logical ID of a function's execution role."""
        role_arn = self.t.resources[function]["Properties"].get("Role")
        return self.t.by_attribute("AWS::IAM::Role", "Arn", role_arn)

    def key_by_reference(self, value: Any) -> str | None:
        """The logical ID of the template's KMS key a key ID, key ARN or alias names."""
        if not isinstance(value, str):
            return None
        for attribute in ("Arn", "Ref"):
            found = self.t.by_attribute("AWS::KMS::Key", attribute, value)
            if found:
                return found
        alias_name = value.split(":", 5)[-1] if value.startswith("arn:") else value
        for alias in self.t.of_type("AWS::KMS::Alias").values():
            if alias["Properties"].get("AliasName") == alias_name:
                return self.key_by_reference(alias["Properties"].get("TargetKeyId"))
        return None

    def key_policy(self, key: str | None) -> Mapping[str, Any] | None:
        """The key policy of a template key."""
        if key is None:
            return None
        policy: Mapping[str, Any] = self.t.resources[key]["Properties"]["KeyPolicy"]
        return policy

    def key_arn(self, value: str) -> tuple[str, str]:
        """(a key ARN for IAM, its account) for a key ID, key ARN, alias or alias ARN."""
        env = self.env
        template_key = self.key_by_reference(value)
        if template_key is not None:
            return self.t._attribute(template_key, "Arn"), env.account
        if value.startswith("arn:"):
            account = value.split(":")[4]
            region = value.split(":")[3]
            if ":alias/" in value:
                # IAM authorizes the key the alias points to: any key of that account.
                return f"arn:{env.partition}:kms:{region}:{account}:key/{ANY_KEY_ID}", account
            return value, account
        if value.startswith("alias/"):
            return (
                f"arn:{env.partition}:kms:{env.region}:{env.account}:key/{ANY_KEY_ID}",
                env.account,
            )
        return f"arn:{env.partition}:kms:{env.region}:{env.account}:key/{value}", env.account

    def key_target(self, value: str) -> dict[str, Any]:
        """How a call on a key (key ID, key ARN, alias or alias ARN) is addressed: the
        ``resource`` IAM sees, its ``resource_account``, the key policy when the template
        holds the key, ``external`` when it does not."""
        key_arn, account = self.key_arn(value)
        template_key = self.key_by_reference(value)
        return {
            "resource": key_arn,
            "resource_account": account,
            "resource_policy": self.key_policy(template_key),
            "external": "" if template_key else f"key {value} is not in this template",
        }

    def bucket(self, name: str) -> str | None:
        """The logical ID of the template bucket with this name."""
        return self.t.by_attribute("AWS::S3::Bucket", "Ref", name)

    def bucket_policy(self, name: str) -> Mapping[str, Any] | None:
        """The bucket policy the template gives a bucket (by bucket name)."""
        for policy in self.t.of_type("AWS::S3::BucketPolicy").values():
            if policy["Properties"].get("Bucket") == name:
                document: Mapping[str, Any] = policy["Properties"]["PolicyDocument"]
                return document
        return None

    def bucket_key(self, name: str) -> str | None:
        """The default KMS key of a bucket: as the template gives it for a template bucket,
        as ``bucket_keys`` states it for another."""
        bucket = self.bucket(name)
        if bucket is None:
            return self.bucket_keys.get(name)
        encryption = self.t.resources[bucket]["Properties"].get("BucketEncryption", {})
        for rule in encryption.get("ServerSideEncryptionConfiguration", []):
            default = rule.get("ServerSideEncryptionByDefault", {})
            if default.get("SSEAlgorithm") == "aws:kms" and default.get("KMSMasterKeyID"):
                return str(default["KMSMasterKeyID"])
        return None

    def trust_policy(self, role_arn: str) -> tuple[str | None, Mapping[str, Any] | None]:
        """(logical ID, trust policy) of the template role with this ARN."""
        role = self.t.by_attribute("AWS::IAM::Role", "Arn", role_arn)
        if role is None:
            return None, None
        return role, self.t.resources[role]["Properties"]["AssumeRolePolicyDocument"]

    def _role_call(self, family: str, role: str | None, caller: str, **kwargs: Any) -> Call:
        kwargs.setdefault("resource_account", self.env.account)
        return Call(family=family, caller=caller, role=role, **kwargs)

    # -- families --------------------------------------------------------------------------

    def all(self) -> list[Call]:
        """Every call of every family."""
        return [
            *self.framework(),
            *self.logs(),
            *self.handler(),
            *self.comprehend(),
            *self.upload(),
        ]

    def jobs(self) -> dict[str, dict[str, Any]]:
        """The job resources (logical ID -> resolved resource)."""
        return self.t.of_type("Custom::ComprehendAnalysisJob")

    def framework(self) -> Iterator[Call]:
        """aws-cdk-lib's Provider runtime: what each framework function and waiter calls."""
        for logical_id, function in self.t.of_type("AWS::Lambda::Function").items():
            props = function["Properties"]
            handler = props.get("Handler", "")
            if not handler.startswith("framework."):
                continue
            variables = props.get("Environment", {}).get("Variables", {})
            role = self.role_of(logical_id)
            caller = f"{handler} ({logical_id})"
            targets = ["USER_ON_EVENT_FUNCTION_ARN"] if handler == "framework.onEvent" else []
            if handler == "framework.isComplete":
                targets = ["USER_IS_COMPLETE_FUNCTION_ARN"]
            for variable in targets:
                arn = variables.get(variable)
                for action in ("lambda:InvokeFunction", "lambda:GetFunction"):
                    yield self._role_call(
                        "framework",
                        role,
                        caller,
                        action=action,
                        resource=str(arn),
                        why=f"framework.js invokes {variable}"
                        + (" (outbound.js waits for it to be active)" if "Get" in action else ""),
                    )
            if handler == "framework.onEvent" and "USER_IS_COMPLETE_FUNCTION_ARN" in variables:
                yield self._role_call(
                    "framework",
                    role,
                    caller,
                    action="states:StartExecution",
                    resource=str(variables.get("WAITER_STATE_MACHINE_ARN")),
                    why="framework.js starts the waiter after the user's onEvent",
                )
        for logical_id, machine in self.t.of_type("AWS::StepFunctions::StateMachine").items():
            props = machine["Properties"]
            role = self.t.by_attribute("AWS::IAM::Role", "Arn", props.get("RoleArn"))
            caller = f"waiter state machine ({logical_id})"
            definition = json.loads(props["DefinitionString"])
            for state in definition.get("States", {}).values():
                if state.get("Type") == "Task":
                    yield self._role_call(
                        "framework",
                        role,
                        caller,
                        action="lambda:InvokeFunction",
                        resource=state["Resource"],
                        why="a Task state invokes its function",
                    )
            if props.get("LoggingConfiguration"):
                for action in (
                    "logs:CreateLogDelivery",
                    "logs:GetLogDelivery",
                    "logs:UpdateLogDelivery",
                    "logs:DeleteLogDelivery",
                    "logs:ListLogDeliveries",
                    "logs:PutResourcePolicy",
                    "logs:DescribeResourcePolicies",
                    "logs:DescribeLogGroups",
                ):
                    yield self._role_call(
                        "framework",
                        role,
                        caller,
                        action=action,
                        resource="*",
                        why="Step Functions log delivery (LoggingConfiguration)",
                    )
            if props.get("TracingConfiguration", {}).get("Enabled"):
                for action in ("xray:PutTraceSegments", "xray:PutTelemetryRecords"):
                    yield self._role_call(
                        "framework",
                        role,
                        caller,
                        action=action,
                        resource="*",
                        why="X-Ray tracing (TracingConfiguration)",
                    )

    def logs(self) -> Iterator[Call]:
        """Log writes of every function with a log group, and each log group's key."""
        env = self.env
        for logical_id, function in self.t.of_type("AWS::Lambda::Function").items():
            group = function["Properties"].get("LoggingConfig", {}).get("LogGroup")
            if not group:
                continue
            role = self.role_of(logical_id)
            stream = (
                f"arn:{env.partition}:logs:{env.region}:{env.account}:log-group:{group}"
                ":log-stream:2026/12/02/[$LATEST]0123456789abcdef"
            )
            for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
                yield self._role_call(
                    "logs",
                    role,
                    f"function {logical_id}",
                    action=action,
                    resource=stream,
                    why="Lambda writes the function's logs to its LoggingConfig.LogGroup",
                )
        for logical_id, group in self.t.of_type("AWS::Logs::LogGroup").items():
            key_ref = group["Properties"].get("KmsKeyId")
            if not key_ref:
                continue
            key = self.key_by_reference(key_ref)
            group_arn = self.t._attribute(logical_id, "Arn").removesuffix(":*")
            key_arn, account = self.key_arn(str(key_ref))
            for action in ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"):
                yield Call(
                    family="logs",
                    caller=f"CloudWatch Logs for {logical_id}",
                    service=f"logs.{env.region}.{env.url_suffix}",
                    action=action,
                    resource=key_arn,
                    context={"kms:EncryptionContext:aws:logs:arn": group_arn},
                    resource_policy=self.key_policy(key),
                    resource_account=account,
                    why="CloudWatch Logs encrypts the group's events with its KmsKeyId",
                    external="" if key else f"key {key_ref} is not in this template",
                )
        for logical_id, flow_log in self.t.of_type("AWS::EC2::FlowLog").items():
            props = flow_log["Properties"]
            if props.get("LogDestinationType", "cloud-watch-logs") != "cloud-watch-logs":
                continue
            role_arn = props.get("DeliverLogsPermissionArn")
            role, trust = self.trust_policy(str(role_arn))
            flow_log_arn = (
                f"arn:{env.partition}:ec2:{env.region}:{env.account}:vpc-flow-log/"
                f"{self.t.physical_id(logical_id)}"
            )
            yield Call(
                family="logs",
                caller=f"VPC flow logs ({logical_id})",
                service="vpc-flow-logs.amazonaws.com",
                action="sts:AssumeRole",
                resource=str(role_arn),
                context={"aws:SourceAccount": env.account, "aws:SourceArn": flow_log_arn},
                resource_policy=trust,
                resource_account=env.account,
                why="the flow log assumes DeliverLogsPermissionArn",
            )
            group = props.get("LogGroupName")
            stream = (
                f"arn:{env.partition}:logs:{env.region}:{env.account}:log-group:{group}"
                ":log-stream:eni-0123456789abcdef0-all"
            )
            for action in ("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"):
                resource = (
                    stream
                    if action != "logs:DescribeLogStreams"
                    else stream.split(":log-stream:")[0] + ":*"
                )
                yield self._role_call(
                    "logs",
                    role,
                    f"VPC flow logs ({logical_id})",
                    action=action,
                    resource=resource,
                    why="flow logs deliver to LogGroupName",
                )

    def _handler_functions(self, job: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """(on_event function, is_complete function) a job's ServiceToken routes to."""
        framework = self.function_by_arn(job["Properties"].get("ServiceToken"))
        if framework is None:
            return None, None
        variables = (
            self.t.resources[framework]["Properties"].get("Environment", {}).get("Variables", {})
        )
        on_event = self.function_by_arn(variables.get("USER_ON_EVENT_FUNCTION_ARN"))
        is_complete = self.function_by_arn(variables.get("USER_IS_COMPLETE_FUNCTION_ARN"))
        return on_event, is_complete

    def routes(self) -> Iterator[tuple[str, str]]:
        """(job, problem) for every job CloudFormation cannot deliver to our handler."""
        for logical_id, job in self.jobs().items():
            framework = self.function_by_arn(job["Properties"].get("ServiceToken"))
            if framework is None:
                yield logical_id, "its ServiceToken names no function of this template"
                continue
            handler = self.t.resources[framework]["Properties"].get("Handler")
            if handler != "framework.onEvent":
                yield logical_id, f"its ServiceToken is {handler}, not framework.onEvent"
                continue
            on_event, is_complete = self._handler_functions(job)
            if on_event is None or (
                self.t.resources[on_event]["Properties"].get("Handler") != "analysis_job.on_event"
            ):
                yield logical_id, "the framework does not invoke analysis_job.on_event"
            waits = job["Properties"].get("WaitForCompletion") in (True, "true")
            if waits and (
                is_complete is None
                or self.t.resources[is_complete]["Properties"].get("Handler")
                != "analysis_job.is_complete"
            ):
                yield logical_id, "it waits, but no analysis_job.is_complete is configured"

    def handler(self) -> Iterator[Call]:
        """What ``lambda/analysis_job.py`` calls for each job."""
        for logical_id, job in self.jobs().items():
            yield from self.handler_calls(logical_id, job)

    def handler_calls(
        self, logical_id: str, job: Mapping[str, Any], *, verbs: tuple[str, ...] = ()
    ) -> Iterator[Call]:
        """The handler's calls for one job (``verbs`` limits them, e.g. to a delete)."""
        on_event, is_complete = self._handler_functions(job)
        props = job["Properties"]
        job_type: JobType = JOB_TYPES[props["JobType"]]
        request = props["Request"]
        job_arn = (
            self.t.job_arn(logical_id)
            if logical_id in self.t.raw_resources
            else (
                f"arn:{self.env.partition}:comprehend:{self.env.region}:{self.env.account}:"
                f"{job_type.arn_resource}/0123456789abcdef0123456789abcdef"
            )
        )
        stop = job_type.has_stop and props.get("StopOnDelete") in (True, "true", None)
        calls: list[tuple[str | None, str, str, str, dict[str, Any]]] = []
        context = self._start_context(request)
        if not verbs or "Start" in verbs:
            start = job_type.iam_action("Start")
            calls.append((on_event, start, job_arn, "Create/Update: Start*Job", context))
            for field_name in job_type.model_fields:
                if field_name in request:
                    # The model resource type takes none of the job's condition keys.
                    calls.append(
                        (on_event, start, request[field_name], "Start*Job uses the model", {})
                    )
            calls.append(
                (
                    on_event,
                    "iam:PassRole",
                    request["DataAccessRoleArn"],
                    "Start*Job passes the DataAccessRole",
                    {"iam:PassedToService": COMPREHEND},
                )
            )
            # Every start carries the handler's key tag (request_builder.JOB_KEY_TAG).
            tags = {k: v for k, v in context.items() if k.startswith("aws:")}
            calls.append((on_event, "comprehend:TagResource", job_arn, "Start*Job with Tags", tags))
            if request.get("VolumeKmsKeyId"):
                key_arn, _ = self.key_arn(str(request["VolumeKmsKeyId"]))
                for action in ("kms:CreateGrant", "kms:DescribeKey"):
                    calls.append((on_event, action, key_arn, "the caller's volume-key use", {}))
        if not verbs or "Find" in verbs:
            # Before starting, the handler looks for the job with this key by JobName (a
            # repeated event, a rollback's return to the job).
            calls.append(
                (on_event, job_type.iam_action("List"), "*", "Create/Update: List*Jobs", {})
            )
            calls.append(
                (
                    on_event,
                    "comprehend:ListTagsForResource",
                    job_arn,
                    "Create/Update: the found job's key tag",
                    {},
                )
            )
        if not verbs or "Tag" in verbs:
            # An update of Request.Tags alone, or a return to a found job, re-tags it.
            key_tag = {"aws:TagKeys": [JOB_KEY_TAG], f"aws:RequestTag/{JOB_KEY_TAG}": "0" * 64}
            calls.append(
                (on_event, "comprehend:TagResource", job_arn, "Update: re-tag the job", key_tag)
            )
            calls.append(
                (
                    on_event,
                    "comprehend:UntagResource",
                    job_arn,
                    "Update: remove tags the template dropped",
                    {"aws:TagKeys": ["project"]},
                )
            )
        describe = job_type.iam_action("Describe")
        if not verbs or "Describe" in verbs:
            calls.append((on_event, describe, job_arn, "Update/Delete: Describe*Job", {}))
            if props.get("WaitForCompletion") in (True, "true"):
                calls.append((is_complete, describe, job_arn, "is_complete: Describe*Job", {}))
        if stop and (not verbs or "Stop" in verbs):
            calls.append((on_event, job_type.iam_action("Stop"), job_arn, "Delete: Stop*Job", {}))
        if not stop and (not verbs or "Stop" in verbs):
            # A job the Delete leaves running is waited for in an update's cleanup: the
            # Delete reads its stack's status, is_complete the job's.
            calls.append(
                (
                    on_event,
                    "cloudformation:DescribeStacks",
                    self.t.stack_id,
                    "Delete: the stack's status (wait in cleanup?)",
                    {},
                )
            )
            calls.append((is_complete, describe, job_arn, "is_complete: the job waited for", {}))
        for function, action, resource, why, call_context in calls:
            key_ref = self.key_by_reference(resource) if action.startswith("kms:") else None
            yield self._role_call(
                "handler",
                self.role_of(function) if function else None,
                f"{logical_id} via {function}",
                action=action,
                resource=str(resource),
                context=call_context,
                resource_policy=self.key_policy(key_ref),
                why=why,
                external="" if not action.startswith("kms:") or key_ref else "foreign key",
            )

    def _start_context(self, request: Mapping[str, Any]) -> dict[str, Any]:
        context: dict[str, Any] = {}
        if request.get("VolumeKmsKeyId"):
            context["comprehend:VolumeKmsKey"] = self.key_arn(str(request["VolumeKmsKeyId"]))[0]
        output_key = request.get("OutputDataConfig", {}).get("KmsKeyId")
        if output_key:
            context["comprehend:OutputKmsKey"] = self.key_arn(str(output_key))[0]
        vpc = request.get("VpcConfig")
        if vpc:
            context["comprehend:VpcSubnets"] = list(vpc["Subnets"])
            context["comprehend:VpcSecurityGroupIds"] = list(vpc["SecurityGroupIds"])
        # The handler appends its key tag to every start (request_builder.JOB_KEY_TAG).
        tags = [*(request.get("Tags") or []), {"Key": JOB_KEY_TAG, "Value": "0" * 64}]
        context["aws:TagKeys"] = [t["Key"] for t in tags]
        for tag in tags:
            context[f"aws:RequestTag/{tag['Key']}"] = tag["Value"]
        return context

    def comprehend(self) -> Iterator[Call]:
        """What Comprehend does as the DataAccessRole while a job runs."""
        env = self.env
        for logical_id, job in self.jobs().items():
            props = job["Properties"]
            request = props["Request"]
            job_arn = self.t.job_arn(logical_id)
            role_arn = str(request["DataAccessRoleArn"])
            role, trust = self.trust_policy(role_arn)
            imported = "" if role else f"role {role_arn} is not in this template"
            yield Call(
                family="comprehend",
                caller=f"Comprehend for {logical_id}",
                service=COMPREHEND,
                action="sts:AssumeRole",
                resource=role_arn,
                context={"aws:SourceAccount": env.account, "aws:SourceArn": job_arn},
                resource_policy=trust,
                resource_account=role_arn.split(":")[4],
                why="Comprehend assumes DataAccessRoleArn for the job",
                external=imported,
            )
            if role is None:
                continue
            caller = f"Comprehend as {role} for {logical_id}"

            def as_role(
                action: str,
                resource: str,
                why: str,
                role: str = role,
                caller: str = caller,
                **kwargs: Any,
            ) -> Call:
                return self._role_call(
                    "comprehend",
                    role,
                    caller,
                    action=action,
                    resource=resource,
                    why=why,
                    **kwargs,
                )

            tls = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}
            via_s3 = {"kms:ViaService": f"s3.{env.region}.{env.url_suffix}"}
            in_bucket, in_prefix = _split_s3_uri(request["InputDataConfig"]["S3Uri"])
            in_policy = self.bucket_policy(in_bucket)
            # The S3Uri names a prefix ("docs/") or a single input object ("docs/a.txt").
            in_object = in_prefix if in_prefix and not in_prefix.endswith("/") else None
            yield as_role(
                "s3:GetObject",
                f"arn:{env.partition}:s3:::{in_bucket}/{in_object or in_prefix + 'doc-1.txt'}",
                "the job reads every object under the input S3Uri",
                context=tls,
                resource_policy=in_policy,
            )
            yield as_role(
                "s3:ListBucket",
                f"arn:{env.partition}:s3:::{in_bucket}",
                "the job lists the input prefix",
                context={**tls, "s3:prefix": in_prefix},
                resource_policy=in_policy,
            )
            in_key = self.bucket_key(in_bucket)
            if in_key:
                yield as_role(
                    "kms:Decrypt",
                    why="S3 decrypts SSE-KMS input for the job",
                    context={**via_s3, **_alias_context(in_key)},
                    **self.key_target(in_key),
                )
            out_bucket, out_prefix = _split_s3_uri(request["OutputDataConfig"]["S3Uri"])
            obj = OUTPUT_OBJECT.format(account=env.account, job_id=job_arn.rsplit("/", 1)[-1])
            yield as_role(
                "s3:PutObject",
                f"arn:{env.partition}:s3:::{out_bucket}/{out_prefix}{obj}",
                "the job writes its results under the output S3Uri",
                context=tls,
                resource_policy=self.bucket_policy(out_bucket),
            )
            out_key = request["OutputDataConfig"].get("KmsKeyId") or self.bucket_key(out_bucket)
            if out_key:
                key_context: dict[str, str | list[str]] = {
                    **via_s3,
                    **_alias_context(str(out_key)),
                }
                for action in ("kms:GenerateDataKey", "kms:Decrypt"):
                    yield as_role(
                        action,
                        why="S3 encrypts the results with the output key",
                        context=key_context,
                        **self.key_target(str(out_key)),
                    )
            if request.get("VolumeKmsKeyId"):
                yield as_role(
                    "kms:CreateGrant",
                    why="Comprehend encrypts the job's volume",
                    **self.key_target(str(request["VolumeKmsKeyId"])),
                )
            vpc = request.get("VpcConfig")
            if vpc:
                for action, resource in self._vpc_resources(vpc):
                    yield as_role(action, resource, "Comprehend places the job's ENIs")
            if request["InputDataConfig"].get("DocumentReaderConfig"):
                for action in _TEXTRACT_ACTIONS:
                    yield as_role(action, "*", "the job reads documents through Textract")
                    on_event, _ = self._handler_functions(job)
                    yield self._role_call(
                        "handler",
                        self.role_of(on_event) if on_event else None,
                        f"{logical_id} via {on_event}",
                        action=action,
                        resource="*",
                        why="Textract may authorize the caller (undocumented)",
                    )

    def _vpc_resources(self, vpc: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        env = self.env
        ec2 = f"arn:{env.partition}:ec2:{env.region}:{env.account}"
        eni = f"{ec2}:network-interface/eni-0123456789abcdef0"
        for action in _VPC_ACTIONS:
            if action == "ec2:CreateNetworkInterface":
                yield action, eni
                for subnet in vpc["Subnets"]:
                    yield action, f"{ec2}:subnet/{subnet}"
                for group in vpc["SecurityGroupIds"]:
                    yield action, f"{ec2}:security-group/{group}"
            elif action in (
                "ec2:CreateNetworkInterfacePermission",
                "ec2:DeleteNetworkInterface",
                "ec2:DeleteNetworkInterfacePermission",
            ):
                yield action, eni
            else:
                yield action, "*"

    def upload(self) -> Iterator[Call]:
        """What BucketDeployment's handler does on Create and Update of each deployment."""
        env = self.env
        tls = {"aws:SecureTransport": "true", "s3:TlsVersion": "1.3"}
        for logical_id, deployment in self.t.of_type("Custom::CDKBucketDeployment").items():
            props = deployment["Properties"]
            function = self.function_by_arn(props.get("ServiceToken"))
            role = self.role_of(function) if function else None
            caller = f"{logical_id} via {function}"

            def as_role(
                action: str,
                resource: str,
                why: str,
                role: str | None = role,
                caller: str = caller,
                **kwargs: Any,
            ) -> Call:
                return self._role_call(
                    "upload", role, caller, action=action, resource=resource, why=why, **kwargs
                )

            for bucket, key in zip(
                props["SourceBucketNames"], props["SourceObjectKeys"], strict=True
            ):
                yield as_role(
                    "s3:GetObject",
                    f"arn:{env.partition}:s3:::{bucket}/{key}",
                    "aws s3 cp fetches the source zip",
                    context=tls,
                    resource_policy=self.bucket_policy(str(bucket)),
                    external="" if self.bucket(str(bucket)) else f"bucket {bucket} (assets)",
                )
            dest = str(props["DestinationBucketName"])
            prefix = str(props.get("DestinationBucketKeyPrefix", ""))
            if prefix == "/":
                prefix = ""
            if prefix and not prefix.endswith("/"):
                prefix += "/"  # aws s3 sync writes <prefix>/<name>
            brought = "" if self.bucket(dest) else f"bucket {dest} is not in this template"
            dest_policy = self.bucket_policy(dest)
            yield as_role(
                "s3:ListBucket",
                f"arn:{env.partition}:s3:::{dest}",
                "aws s3 sync lists the destination prefix",
                context={**tls, "s3:prefix": prefix},
                resource_policy=dest_policy,
                external=brought,
            )
            obj = f"arn:{env.partition}:s3:::{dest}/{prefix}doc-1.txt"
            # The handler passes SystemMetadata to the CLI as flags ('sse' -> --sse).
            system = props.get("SystemMetadata") or {}
            sse = {
                f"s3:x-amz-server-side-encryption{suffix}": str(system[flag])
                for flag, suffix in (("sse", ""), ("sse-kms-key-id", "-aws-kms-key-id"))
                if flag in system
            }
            yield as_role(
                "s3:PutObject",
                obj,
                "aws s3 sync puts each new or changed file",
                context={**tls, **sse},
                resource_policy=dest_policy,
                external=brought,
            )
            if str(props.get("Prune", "true")).lower() == "true":
                yield as_role(
                    "s3:DeleteObject",
                    obj,
                    "aws s3 sync --delete removes what the sources no longer hold",
                    context=tls,
                    resource_policy=dest_policy,
                    external=brought,
                )
            # A key named in the request is used instead of the bucket's default.
            dest_key = system.get("sse-kms-key-id") or self.bucket_key(dest)
            if dest_key:
                for action, why in (
                    ("kms:GenerateDataKey", "S3 encrypts each file with the upload's key"),
                    ("kms:Decrypt", "S3 completes a multipart upload (files over 8 MB)"),
                ):
                    yield as_role(
                        action,
                        why=why,
                        context={
                            "kms:ViaService": f"s3.{env.region}.{env.url_suffix}",
                            **_alias_context(str(dest_key)),
                        },
                        **self.key_target(dest_key),
                    )


def _alias_context(key: str) -> dict[str, list[str]]:
    """For a key given as an alias (``alias/NAME`` or an alias ARN): the alias, as KMS
    puts it in ``kms:ResourceAliases`` of every request on the key behind it."""
    if "alias/" not in key:
        return {}
    return {"kms:ResourceAliases": ["alias/" + key.split("alias/", 1)[1]]}


_S3_URI = re.compile(r"^s3://([^/]+)/?(.*)$")


def _split_s3_uri(uri: str) -> tuple[str, str]:
    match = _S3_URI.match(uri)
    if match is None:
        raise ValueError(f"not an S3 URI: {uri!r}")
    return match.group(1), match.group(2)
