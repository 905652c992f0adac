"""The per-stack handler and providers: the framework roles keep aws-cdk-lib's grants in
managed policies, the log key (made or brought), and the concurrent-jobs warning."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Annotations as StackAnnotations
from aws_cdk import Environment, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Annotations, Match, Template
from nag_support import format_findings, nag_findings, new_app, synth_findings

from comprehend_jobs import (
    DataAccessRole,
    DominantLanguageDetectionJob,
    EntityRecognitionJob,
    JobEncryption,
    JobHandler,
    JobNetwork,
    JobStorage,
    PropValidationError,
)
from comprehend_jobs.compliance.packs import add_compliance_checks

RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets"
ENV = Environment(account="111122223333", region="us-east-1")
VOLUME_KEY = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OUTPUT_ALIAS = "arn:aws:kms:us-east-1:444455556666:alias/comprehend-results"
LOG_KEY = "arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100"

ON_EVENT = "ComprehendJobsHandlerOnEvent5D2A55FE"
IS_COMPLETE = "ComprehendJobsHandlerIsComplete4E987E9A"
#: The one provider of every stack, waiting jobs or not (its roles and logs sit under the
#: handler).
PROVIDER = "ComprehendJobsHandlerComprehendJobsProvider"
#: Documents already in S3: a job on a created, empty input bucket would fail synth.
DOCUMENTS = "s3://example-documents/input/"


def _resources(template: Mapping[str, Any], type_: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def _logical_id(template: dict[str, Any], type_: str, prefix: str) -> str:
    (lid,) = [lid for lid in _resources(template, type_) if lid.startswith(prefix)]
    return lid


def _arn(lid: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [lid, "Arn"]}


def _versions(lid: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [_arn(lid), ":*"]]}


def _invoke(*functions: str) -> list[dict[str, Any]]:
    """What ``grantInvoke`` and ``addPermissions`` give a framework role on ``functions``."""
    return [
        {
            "Action": "lambda:InvokeFunction",
            "Effect": "Allow",
            "Resource": [_arn(f) for f in functions] + [_versions(f) for f in functions],
        },
        {
            "Action": "lambda:GetFunction",
            "Effect": "Allow",
            # IAM renders a single resource as itself, not as a list.
            "Resource": [_arn(f) for f in functions] if len(functions) > 1 else _arn(functions[0]),
        },
    ]


def _write_logs(template: dict[str, Any], provider: str) -> dict[str, Any]:
    logs = _logical_id(template, "AWS::Logs::LogGroup", f"{provider}FrameworkLogs")
    return {
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Effect": "Allow",
        "Resource": _arn(logs),
    }


def _storage_and_role(stack: Stack) -> tuple[JobStorage, DataAccessRole]:
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    return storage, DataAccessRole(stack, "DataAccessRole", storage=storage)


@pytest.fixture(scope="module")
def waiting() -> Mapping[str, Any]:
    app = new_app()
    stack = Stack(app, "Waiting")
    storage, role = _storage_and_role(stack)
    EntityRecognitionJob(
        stack,
        "Job",
        recognizer_arn=RECOGNIZER,
        storage=storage,
        role=role,
        wait_for_completion=True,
    )
    return Template.from_stack(stack).to_json()


@pytest.fixture(scope="module")
def not_waiting() -> Mapping[str, Any]:
    app = new_app()
    stack = Stack(app, "NotWaiting")
    storage, role = _storage_and_role(stack)
    EntityRecognitionJob(stack, "Job", recognizer_arn=RECOGNIZER, storage=storage, role=role)
    return Template.from_stack(stack).to_json()


def _policy(template: dict[str, Any], role_prefix: str) -> tuple[str, dict[str, Any]]:
    lid = _logical_id(template, "AWS::IAM::ManagedPolicy", f"{role_prefix}Policy")
    return lid, template["Resources"][lid]


@pytest.mark.parametrize("stack", ["waiting", "not_waiting"])
def test_on_event_role_can_invoke_both_handlers_and_start_the_waiter(
    stack: str, request: pytest.FixtureRequest
) -> None:
    # Waiting or not, a stack's jobs share one provider with the waiter.
    template = request.getfixturevalue(stack)
    lid, policy = _policy(template, f"{PROVIDER}OnEventRole")
    # The managed policy keeps the construct ID it had: <role id>Policy under the handler.
    assert lid == "ComprehendJobsHandlerComprehendJobsProviderOnEventRolePolicyBC3C57D1"
    waiter = _logical_id(
        template, "AWS::StepFunctions::StateMachine", "ComprehendJobsProviderwaiter"
    )
    role = _logical_id(template, "AWS::IAM::Role", f"{PROVIDER}OnEventRole")
    assert policy["Properties"]["Roles"] == [{"Ref": role}]
    assert policy["Properties"]["PolicyDocument"] == {
        "Version": "2012-10-17",
        "Statement": [
            *_invoke(IS_COMPLETE, ON_EVENT),
            {
                "Action": "states:StartExecution",
                "Effect": "Allow",
                "Resource": {"Ref": waiter},
            },
            _write_logs(template, PROVIDER),
        ],
    }


@pytest.mark.parametrize("stack", ["waiting", "not_waiting"])
def test_complete_role_can_invoke_both_handlers(stack: str, request: pytest.FixtureRequest) -> None:
    template = request.getfixturevalue(stack)
    _, policy = _policy(template, f"{PROVIDER}CompleteRole")
    role = _logical_id(template, "AWS::IAM::Role", f"{PROVIDER}CompleteRole")
    assert policy["Properties"]["Roles"] == [{"Ref": role}]
    assert policy["Properties"]["PolicyDocument"] == {
        "Version": "2012-10-17",
        "Statement": [
            *_invoke(IS_COMPLETE, ON_EVENT),
            _write_logs(template, PROVIDER),
        ],
    }


@pytest.mark.parametrize("stack", ["waiting", "not_waiting"])
def test_no_inline_policy_remains(stack: str, request: pytest.FixtureRequest) -> None:
    assert _resources(request.getfixturevalue(stack), "AWS::IAM::Policy") == {}


@pytest.mark.parametrize("stack", ["waiting", "not_waiting"])
def test_every_framework_function_waits_for_its_role_policy(
    stack: str, request: pytest.FixtureRequest
) -> None:
    template = request.getfixturevalue(stack)
    provider = PROVIDER
    functions = {
        "ComprehendJobsProviderframeworkonEvent": "OnEventRole",
        "ComprehendJobsProviderframeworkisComplete": "CompleteRole",
        "ComprehendJobsProviderframeworkonTimeout": "CompleteRole",
    }
    framework = {
        lid: r
        for lid, r in _resources(template, "AWS::Lambda::Function").items()
        if "framework" in lid
    }
    assert len(framework) == len(functions)
    for prefix, role in functions.items():
        lid = _logical_id(template, "AWS::Lambda::Function", prefix)
        policy, _ = _policy(template, f"{provider}{role}")
        role_id = _logical_id(template, "AWS::IAM::Role", f"{provider}{role}")
        assert template["Resources"][lid]["Properties"]["Role"] == _arn(role_id)
        assert policy in template["Resources"][lid]["DependsOn"]


def test_log_key_policy_names_the_partitions_logs_principal(not_waiting: dict[str, Any]) -> None:
    key = not_waiting["Resources"][
        _logical_id(not_waiting, "AWS::KMS::Key", "ComprehendJobsHandlerLogKey")
    ]
    # Retained without any VPC too: a swapped log key leaves events under it.
    assert key["DeletionPolicy"] == "Retain"
    assert key["Properties"]["KeyPolicy"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Action": "kms:*",
                "Effect": "Allow",
                "Principal": {
                    "AWS": {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                {"Ref": "AWS::Partition"},
                                ":iam::",
                                {"Ref": "AWS::AccountId"},
                                ":root",
                            ],
                        ]
                    }
                },
                "Resource": "*",
            },
            {
                "Sid": "AllowCloudWatchLogsOfThisAccount",
                "Action": [
                    "kms:Decrypt",
                    "kms:DescribeKey",
                    "kms:Encrypt",
                    "kms:GenerateDataKey*",
                    "kms:ReEncrypt*",
                ],
                "Condition": {
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": {
                            "Fn::Join": [
                                "",
                                [
                                    "arn:",
                                    {"Ref": "AWS::Partition"},
                                    ":logs:",
                                    {"Ref": "AWS::Region"},
                                    ":",
                                    {"Ref": "AWS::AccountId"},
                                    ":log-group:*",
                                ],
                            ]
                        }
                    }
                },
                "Effect": "Allow",
                "Principal": {
                    "Service": {
                        "Fn::Join": [
                            "",
                            ["logs.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}],
                        ]
                    }
                },
                "Resource": "*",
            },
        ],
    }


def test_waiting_stack_passes_the_four_packs() -> None:
    def build(stack: Stack) -> None:
        storage, role = _storage_and_role(stack)
        for waits in (False, True):
            EntityRecognitionJob(
                stack,
                f"Job{waits}",
                recognizer_arn=RECOGNIZER,
                storage=storage,
                role=role,
                wait_for_completion=waits,
            )

    # In its model's Region, as a user deploys it (env-agnostic, it is a Region warning).
    findings = nag_findings(build, env=ENV)
    assert findings == [], format_findings(findings)


# -- documents without a job ---------------------------------------------------------

SAMPLES = str(Path(__file__).resolve().parent.parent / "samples" / "entity-recognition")


def test_documents_without_a_job_make_no_caller(tmp_path: Path) -> None:
    # A stack that only uploads documents (its jobs in another stack, or on day 2) needs
    # the handler's log key for the upload's logs, and no role that may start, describe or
    # stop jobs, no caller policy and no function.
    app = new_app(outdir=str(tmp_path))
    stack = Stack(app, "DocumentsOnly", env=ENV)
    JobStorage(stack, "Storage", input_documents=SAMPLES)
    add_compliance_checks(app)
    findings = synth_findings(app, tmp_path)
    assert findings == [], format_findings(findings)
    template = json.loads((tmp_path / "DocumentsOnly.template.json").read_text())
    # Beside the log key, only what the upload runs as (the library's uploads share it).
    upload = f"{JobHandler.ID}InputDocuments"
    handler = {
        lid: r["Type"]
        for lid, r in template["Resources"].items()
        if lid.startswith(JobHandler.ID) and not lid.startswith(upload)
    }
    assert list(handler.values()) == ["AWS::KMS::Key"], handler


def test_a_job_added_later_gets_the_handler_a_job_first_stack_has() -> None:
    # Day 2: a job joins the documents-only stack. The handler's resources are named by
    # their path, not by when they were made: the same logical IDs as a job-first stack.
    app = new_app()
    later, first = Stack(app, "Later", env=ENV), Stack(app, "First", env=ENV)
    JobHandler.of(first).on_event_function  # noqa: B018 - the handler's caller, made first
    for stack in (later, first):
        storage = JobStorage(stack, "Storage", input_documents=SAMPLES)
        role = DataAccessRole(stack, "DataAccessRole", storage=storage)
        EntityRecognitionJob(stack, "Job", recognizer_arn=RECOGNIZER, storage=storage, role=role)
    later_resources, first_resources = (
        Template.from_stack(s).to_json()["Resources"] for s in (later, first)
    )
    assert {lid: r["Type"] for lid, r in later_resources.items()} == {
        lid: r["Type"] for lid, r in first_resources.items()
    }
    # The handler's own resources alike to the letter (others carry the stack's path).
    handler_ids = [lid for lid in first_resources if lid.startswith(JobHandler.ID)]
    assert len(handler_ids) >= 5
    for lid in handler_ids:
        assert later_resources[lid] == first_resources[lid], lid


# -- a brought log key --------------------------------------------------------------


def _bring_everything(stack: Stack, *, vpc: bool) -> None:
    """Existing keys, buckets and (optionally) VPC, and a brought log key."""
    JobHandler.use_log_key(stack, kms.Key.from_key_arn(stack, "LogKey", LOG_KEY))
    # The platform team's key policy lets CloudWatch Logs in (the warning says it must).
    StackAnnotations.of(stack).acknowledge_warning(
        "comprehend-jobs:log-key-policy", "the key policy has JobHandler.log_key_statement"
    )
    network = None
    if vpc:
        network = JobNetwork(
            stack,
            "Network",
            existing_vpc=ec2.Vpc.from_vpc_attributes(
                stack,
                "SharedVpc",
                vpc_id="vpc-0a1b2c3d4e5f67890",
                availability_zones=["us-east-1a", "us-east-1b"],
                private_subnet_ids=["subnet-0a1b2c3d4e5f67890", "subnet-0f9e8d7c6b5a43210"],
                private_subnet_route_table_ids=["rtb-0a1b2c3d4e5f67890", "rtb-0f9e8d7c6b5a43210"],
            ),
            s3_prefix_list_id="pl-63a5400a",
        )
    encryption = JobEncryption(
        stack, "Keys", existing_volume_key=VOLUME_KEY, existing_output_key=OUTPUT_ALIAS
    )
    storage = JobStorage(
        stack,
        "Storage",
        existing_input_bucket=s3.Bucket.from_bucket_name(stack, "Lake", "example-data-lake"),
        existing_output_bucket=s3.Bucket.from_bucket_name(stack, "Results", "example-results"),
    )
    role = DataAccessRole(
        stack, "DataAccessRole", storage=storage, encryption=encryption, network=network
    )
    for waits in (False, True):
        EntityRecognitionJob(
            stack,
            f"Job{waits}",
            recognizer_arn=RECOGNIZER,
            storage=storage,
            role=role,
            encryption=encryption,
            network=network,
            wait_for_completion=waits,
        )


@pytest.mark.parametrize("vpc", [False, True], ids=["no-vpc", "imported-vpc"])
def test_all_keys_brought_makes_no_kms_key(vpc: bool) -> None:
    app = new_app()
    stack = Stack(app, "Brought", env=ENV)
    _bring_everything(stack, vpc=vpc)
    template = Template.from_stack(stack).to_json()
    assert _resources(template, "AWS::KMS::Key") == {}
    groups = _resources(template, "AWS::Logs::LogGroup")
    # The handler's two functions, the provider's framework functions, the waiter.
    assert len(groups) == 4
    for group in groups.values():
        assert group["Properties"]["KmsKeyId"] == LOG_KEY
    framework = [
        r for lid, r in _resources(template, "AWS::Lambda::Function").items() if "framework" in lid
    ]
    assert len(framework) == 3
    for function in framework:
        assert function["Properties"]["KmsKeyArn"] == LOG_KEY


def test_all_keys_brought_passes_the_four_packs() -> None:
    findings = nag_findings(lambda stack: _bring_everything(stack, vpc=False), env=ENV)
    assert findings == [], format_findings(findings)


def test_a_log_key_is_chosen_before_the_handler_exists() -> None:
    app = new_app()
    stack = Stack(app, "Late", env=ENV)
    key = kms.Key.from_key_arn(stack, "LogKey", LOG_KEY)
    JobHandler.of(stack)
    with pytest.raises(PropValidationError) as raised:
        JobHandler.use_log_key(stack, key)
    message = str(raised.value)
    assert message.startswith("JobHandler.use_log_key: invalid props:")
    assert "key='Late/LogKey' is not valid" in message
    assert "Late/ComprehendJobsHandler already exists" in message
    assert "Fix: call JobHandler.use_log_key(stack, key)" in message


def test_the_same_log_key_may_be_given_again_another_may_not() -> None:
    app = new_app()
    stack = Stack(app, "Twice", env=ENV)
    key = kms.Key.from_key_arn(stack, "LogKey", LOG_KEY)
    handler = JobHandler.use_log_key(stack, key)
    assert JobHandler.use_log_key(stack, key) is handler
    assert handler.log_key is key and handler.own_log_key is None
    other = kms.Key(stack, "Other")
    with pytest.raises(PropValidationError, match="key='Twice/Other' is not valid"):
        JobHandler.use_log_key(stack, other)


def test_a_key_of_the_same_app_can_be_given_the_logs_statement() -> None:
    app = new_app()
    stack = Stack(app, "Own", env=ENV)
    key = kms.Key(stack, "Mine", enable_key_rotation=True)
    key.add_to_resource_policy(JobHandler.log_key_statement(stack))
    JobHandler.use_log_key(stack, key)
    template = Template.from_stack(stack).to_json()
    (lid,) = _resources(template, "AWS::KMS::Key")
    assert lid.startswith("Mine")
    statements = template["Resources"][lid]["Properties"]["KeyPolicy"]["Statement"]
    (logs,) = [s for s in statements if s.get("Sid") == "AllowCloudWatchLogsOfThisAccount"]
    # The stack's env is known: the principal's Region is literal, its suffix still a Ref.
    assert logs["Principal"] == {
        "Service": {"Fn::Join": ["", ["logs.us-east-1.", {"Ref": "AWS::URLSuffix"}]]}
    }


def test_a_brought_log_keys_removal_policy_is_left_alone() -> None:
    app = new_app()
    stack = Stack(app, "Keep", env=ENV)
    key = kms.Key(stack, "Mine")
    JobHandler.use_log_key(stack, key)
    (mine,) = _resources(Template.from_stack(stack).to_json(), "AWS::KMS::Key").values()
    assert mine["DeletionPolicy"] == "Retain"  # kms.Key's own default, left alone


# -- the concurrent-jobs quota ------------------------------------------------------


def _jobs(count: int, *, other: int = 0) -> Stack:
    app = new_app()
    stack = Stack(app, f"Jobs{count}")
    storage, role = _storage_and_role(stack)
    for i in range(count):
        DominantLanguageDetectionJob(stack, f"Language{i}", storage=storage, role=role)
    for i in range(other):
        EntityRecognitionJob(
            stack, f"Entities{i}", recognizer_arn=RECOGNIZER, storage=storage, role=role
        )
    return stack


def test_more_jobs_of_a_type_than_the_quota_warn_once() -> None:
    annotations = Annotations.from_stack(_jobs(12, other=10))
    warnings = annotations.find_warning("*", Match.string_like_regexp("concurrent"))
    assert len(warnings) == 1
    (warning,) = warnings
    assert warning.id == "/Jobs12/ComprehendJobsHandler"
    message = str(warning.entry.data)
    assert "[ack: comprehend-jobs:concurrent-jobs]" in message
    for needle in (
        "12 DominantLanguageDetection jobs",
        "10 concurrently active jobs per job type per account",
        "Service Quotas",
        "Split the jobs across deployments",
        "request a quota increase",
        "chain the jobs",
    ):
        assert needle in message


def test_jobs_up_to_the_quota_do_not_warn() -> None:
    annotations = Annotations.from_stack(_jobs(10))
    assert annotations.find_warning("*", Match.string_like_regexp("concurrent")) == []
