"""ComprehendAnalysis with parts of yours (issue 21): a role handed in gets what the job
uses, the console's key fields are props, a brought log key lets CloudWatch Logs in, and
any number of document uploads share a stack with the user's own BucketDeployments."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Environment, Size, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk.assertions import Annotations, Match, Template
from nag_support import new_app

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    JobHandler,
    JobNetwork,
    JobStorage,
    PropValidationError,
)
from comprehend_jobs.console import ContextError, build_flows, read_config

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = str(ROOT / "samples" / "entity-recognition")
ENV = Environment(account="111122223333", region="us-east-1")
RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets"
INPUT_URI = "s3://my-corp-data/claims/2026/"
OUTPUT_URI = "s3://my-corp-results/comprehend/claims/"
LAKE_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
FOREIGN_KEY = "arn:aws:kms:us-east-1:444455556666:key/0f0e0d0c-0b0a-0908-0706-050403020100"
ROLE_ARN = "arn:aws:iam::111122223333:role/comprehend-claims"


def _resources(template: Mapping[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def _policy_of(template: Mapping[str, Any], prefix: str) -> list[dict[str, Any]]:
    (policy,) = [
        v
        for k, v in _resources(template, "AWS::IAM::ManagedPolicy").items()
        if k.startswith(prefix)
    ]
    statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _sorted(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements in a stable order, each with its actions sorted."""
    out = []
    for statement in statements:
        actions = statement["Action"]
        out.append(
            {**statement, "Action": sorted(actions) if isinstance(actions, list) else actions}
        )
    return sorted(out, key=lambda s: json.dumps(s, sort_keys=True))


def _decrypt_via_s3(statements: list[dict[str, Any]], key: str) -> bool:
    """Whether ``statements`` allow kms:Decrypt on ``key`` only through S3."""
    return any(
        s["Action"] == "kms:Decrypt"
        and s["Resource"] == key
        and list(s.get("Condition", {}).get("StringEquals", {})) == ["kms:ViaService"]
        for s in statements
    )


def _flat(value: Any) -> str:
    """An output's value with each reference as ``<ref>`` (the rest is literal)."""
    if isinstance(value, str):
        return value
    return "".join(p if isinstance(p, str) else "<ref>" for p in value["Fn::Join"][1])


def _warnings(stack: Stack, code: str) -> list[str]:
    found = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp(code))
    return [str(m.entry.data) for m in found]


# -- 1. a role handed to the pattern gets what the pattern uses --------------------------

#: The compositions of issue 21: storage by URI or made, keys made or brought, in a VPC.
FORMS: dict[str, dict[str, Any]] = {
    "uris-made-keys": {"input_s3_uri": INPUT_URI, "output_s3_uri": OUTPUT_URI},
    "made-storage-brought-keys": {
        "input_documents": SAMPLES,
        "volume_key": FOREIGN_KEY,
        "output_key": "alias/claims-results",
    },
    "uris-sse-kms-input": {"input_s3_uri": INPUT_URI, "input_bucket_key": LAKE_KEY},
}


def _role_policy(form: str, *, shared: bool) -> list[dict[str, Any]]:
    stack = Stack(new_app(), "Role", env=ENV)
    network = JobNetwork(stack, "Network")
    role = DataAccessRole(stack, "Shared", network=network) if shared else None
    ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=RECOGNIZER, network=network, role=role, **FORMS[form]
    )
    template = Template.from_stack(stack).to_json()
    prefix = "SharedPolicy" if shared else "TicketsDataAccessRolePolicy"
    return _policy_of(template, prefix)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_role_of_yours_gets_exactly_what_the_patterns_own_role_would(form: str) -> None:
    # GIVEN the same analysis with its own role and with a DataAccessRole of yours that
    # only knows the VPC (the shared role)
    own = _role_policy(form, shared=False)
    # THEN yours is granted the same statements: input, output, keys, VPC
    assert _sorted(_role_policy(form, shared=True)) == _sorted(own)
    actions = {
        a for s in own for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    }
    assert {"s3:GetObject", "s3:ListBucket", "s3:PutObject", "kms:Decrypt"} <= actions
    if form != "uris-sse-kms-input":
        assert {"kms:CreateGrant", "kms:GenerateDataKey"} <= actions


def test_a_role_shared_by_two_analyses_may_use_what_each_uses() -> None:
    stack = Stack(new_app(), "SharedRole", env=ENV)
    role = DataAccessRole(stack, "Shared")
    ComprehendAnalysis(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER,
        input_s3_uri=INPUT_URI,
        output_s3_uri=OUTPUT_URI,
        network=False,
        role=role,
    )
    ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=RECOGNIZER, input_documents=SAMPLES, role=role
    )
    statements = _policy_of(Template.from_stack(stack).to_json(), "SharedPolicy")
    text = json.dumps(statements)
    for needle in (
        "arn:aws:s3:::my-corp-data/claims/2026/*",
        "arn:aws:s3:::my-corp-results/comprehend/claims/*",
        "TicketsStorageInputBucket",
        "TicketsStorageOutputBucket",
        "ClaimsEncryptionVolumeKey",
        "TicketsEncryptionVolumeKey",
        "ClaimsEncryptionOutputKey",
        "TicketsEncryptionOutputKey",
        "ec2:CreateNetworkInterface",
    ):
        assert needle in text, needle


def test_an_imported_role_warns_and_prints_what_its_owner_must_attach() -> None:
    stack = Stack(new_app(), "ImportedRole", env=ENV)
    ComprehendAnalysis(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER,
        input_s3_uri=INPUT_URI,
        output_s3_uri=OUTPUT_URI,
        input_bucket_key=LAKE_KEY,
        network=False,
        role=DataAccessRole.from_role_arn(stack, "Role", ROLE_ARN),
    )
    template = Template.from_stack(stack).to_json()
    (output_id,) = [k for k in template["Outputs"] if k.startswith("RoleRequiredPolicy")]
    (warning,) = _warnings(stack, "comprehend-jobs:imported-role")
    assert ROLE_ARN in warning and output_id in warning
    assert "kms:CreateGrant, kms:Decrypt, kms:GenerateDataKey, s3:GetObject" in warning
    document = json.loads(_flat(template["Outputs"][output_id]["Value"]))
    assert {
        "Action": "s3:GetObject",
        "Effect": "Allow",
        "Resource": "arn:aws:s3:::my-corp-data/claims/2026/*",
    } in document["Statement"]
    assert _decrypt_via_s3(document["Statement"], LAKE_KEY)


# -- 4. the console's key fields as the pattern's props ----------------------------------


def _keys(template: Mapping[str, Any]) -> list[str]:
    return sorted(k for k in _resources(template, "AWS::KMS::Key") if "Handler" not in k)


@pytest.fixture(scope="module")
def default_keys() -> list[str]:
    stack = Stack(new_app(), "Keys", env=ENV)
    ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=RECOGNIZER, input_s3_uri=INPUT_URI, network=False
    )
    return _keys(Template.from_stack(stack).to_json())


def test_a_brought_volume_key_leaves_the_output_key_where_it_was(default_keys: list[str]) -> None:
    stack = Stack(new_app(), "Keys", env=ENV)
    analysis = ComprehendAnalysis(
        stack,
        "Tickets",
        recognizer_arn=RECOGNIZER,
        input_s3_uri=INPUT_URI,
        network=False,
        volume_key=FOREIGN_KEY,
    )
    template = Template.from_stack(stack).to_json()
    # The output key keeps the logical ID it has without the prop (no re-created key).
    assert _keys(template) == [k for k in default_keys if "OutputKey" in k]
    request = stack.resolve(analysis.job.request)
    assert request["VolumeKmsKeyId"] == FOREIGN_KEY


def test_input_bucket_key_lets_the_role_decrypt_the_input_through_s3() -> None:
    stack = Stack(new_app(), "SseKms", env=ENV)
    ComprehendAnalysis(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER,
        input_s3_uri=INPUT_URI,
        input_bucket_key=LAKE_KEY,
        network=False,
    )
    statements = _policy_of(Template.from_stack(stack).to_json(), "ClaimsDataAccessRolePolicy")
    assert _decrypt_via_s3(statements, LAKE_KEY)


@pytest.mark.parametrize(
    ("props", "needles"),
    [
        (
            {"input_s3_uri": INPUT_URI, "encryption": False, "volume_key": FOREIGN_KEY},
            [
                "volume_key='arn:aws:kms",
                "no volume_key with encryption=False",
                "drop encryption=False",
            ],
        ),
        (
            {"input_s3_uri": INPUT_URI, "volume_key": "alias/claims"},
            ["volume_key='alias/claims' is not valid"],
        ),
        (
            {"input_documents": SAMPLES, "input_bucket_key": LAKE_KEY},
            ["input_bucket_key='arn:aws:kms", "pass input_s3_uri="],
        ),
    ],
)
def test_bad_key_props_are_named_and_create_nothing(
    props: dict[str, Any], needles: list[str]
) -> None:
    stack = Stack(new_app(), "BadKeys", env=ENV)
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(stack, "Claims", recognizer_arn=RECOGNIZER, network=False, **props)
    (problem,) = raised.value.problems
    for needle in needles:
        assert needle in problem, problem
    assert "Fix: " in problem
    assert len(stack.node.find_all()) == before


def _app_stack(**context: Any) -> tuple[cdk.Stack, Mapping[str, Any]]:
    settings = json.loads((ROOT / "cdk.json").read_text())["context"]
    app = cdk.App(context={**settings, "recognizer_arn": RECOGNIZER, **context})
    (stack,) = build_flows(app, read_config(app.node), project_dir=ROOT)
    return stack, Template.from_stack(stack).to_json()


def test_the_apps_key_keys_keep_the_keys_it_makes_at_the_patterns_paths() -> None:
    _, default = _app_stack()
    _, volume_only = _app_stack(volume_kms_key_id=FOREIGN_KEY)
    assert _keys(volume_only) == [k for k in _keys(default) if "OutputKey" in k]


def test_the_apps_input_kms_key_id_reaches_the_role() -> None:
    _, template = _app_stack(input_s3_uri=INPUT_URI, input_kms_key_id=LAKE_KEY)
    assert _decrypt_via_s3(_policy_of(template, "EntitiesDataAccessRolePolicy"), LAKE_KEY)
    with pytest.raises(ContextError, match="input_kms_key_id"):
        _app_stack(input_kms_key_id=LAKE_KEY)


# -- 2. a brought log key lets CloudWatch Logs use it ------------------------------------


def test_a_log_key_of_the_app_gets_the_log_statement() -> None:
    stack = Stack(new_app(), "LogKey", env=ENV)
    key = kms.Key(stack, "PlatformLogKey", enable_key_rotation=True)
    ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=RECOGNIZER, input_s3_uri=INPUT_URI, log_key=key
    )
    template = Template.from_stack(stack).to_json()
    (policy,) = [
        r["Properties"]["KeyPolicy"]
        for k, r in _resources(template, "AWS::KMS::Key").items()
        if k.startswith("PlatformLogKey")
    ]
    expected = stack.resolve(JobHandler.log_key_statement(stack).to_statement_json())
    assert _sorted(policy["Statement"][1:]) == _sorted([expected])
    assert _warnings(stack, "comprehend-jobs:log-key-policy") == []


def test_an_imported_log_key_warns_and_prints_the_statement() -> None:
    stack = Stack(new_app(), "ImportedLogKey", env=ENV)
    key = kms.Key.from_key_arn(stack, "PlatformLogKey", LAKE_KEY)
    ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=RECOGNIZER, input_s3_uri=INPUT_URI, log_key=key
    )
    template = Template.from_stack(stack).to_json()
    (output_id,) = [k for k in template["Outputs"] if "LogKeyPolicy" in k]
    (warning,) = _warnings(stack, "comprehend-jobs:log-key-policy")
    assert "ImportedLogKey/PlatformLogKey" in warning and output_id in warning
    statement = json.loads(_flat(template["Outputs"][output_id]["Value"]))
    expected = stack.resolve(JobHandler.log_key_statement(stack).to_statement_json())
    expected["Principal"]["Service"] = "logs.us-east-1.<ref>"  # the URL suffix
    assert _sorted([statement]) == _sorted([expected])


# -- 3. document uploads: any number, beside the user's own ------------------------------


def _uploads(template: Mapping[str, Any]) -> dict[str, str]:
    """Each upload's custom resource -> the function serving it."""
    return {
        k: r["Properties"]["ServiceToken"]["Fn::GetAtt"][0]
        for k, r in _resources(template, "Custom::CDKBucketDeployment").items()
    }


@pytest.fixture(scope="module")
def beside_yours() -> dict[str, Any]:
    """Two analyses and a JobStorage uploading documents, between two BucketDeployments of
    the user's own; and the user's two alone, for comparison."""
    templates = {}
    for name, ours in (("Mixed", True), ("Yours", False)):
        # One stack name: BucketDeployment tags the bucket with a hash of its path.
        stack = Stack(new_app(), "Site", env=ENV)
        site = s3.Bucket(stack, "Site", enforce_ssl=True)
        source = [s3deploy.Source.asset(SAMPLES)]
        s3deploy.BucketDeployment(stack, "Before", sources=source, destination_bucket=site)
        if ours:
            ComprehendAnalysis(stack, "Claims", recognizer_arn=RECOGNIZER, input_documents=SAMPLES)
            ComprehendAnalysis(
                stack, "Tickets", recognizer_arn=RECOGNIZER, input_documents=SAMPLES, network=False
            )
            JobStorage(stack, "Docs", input_documents=SAMPLES)
        s3deploy.BucketDeployment(stack, "After", sources=source, destination_bucket=site)
        templates[name] = Template.from_stack(stack).to_json()
    return templates


def test_every_upload_of_ours_runs_on_our_function_and_role(beside_yours: dict[str, Any]) -> None:
    template = beside_yours["Mixed"]
    uploads = _uploads(template)
    ours = {k: f for k, f in uploads.items() if not k.startswith(("Before", "After"))}
    assert len(ours) == 3
    (function,) = set(ours.values())
    role = template["Resources"][function]["Properties"]["Role"]["Fn::GetAtt"][0]
    assert role.startswith("ComprehendJobsHandlerInputDocumentsRole")
    # Each upload's grants are in the role's managed policy: every input bucket's objects.
    statements = json.dumps(_policy_of(template, "ComprehendJobsHandlerInputDocumentsPolicy"))
    for bucket in ("ClaimsStorageInputBucket", "TicketsStorageInputBucket", "DocsInputBucket"):
        assert bucket in statements, bucket
    assert "SiteBucket" not in statements and "Site" not in role


def test_your_own_uploads_are_not_changed_by_ours(beside_yours: dict[str, Any]) -> None:
    mixed, yours = beside_yours["Mixed"], beside_yours["Yours"]
    for logical_id, resource in yours["Resources"].items():
        if resource["Type"] != "AWS::CDK::Metadata":
            assert mixed["Resources"][logical_id] == resource, logical_id


def _same_settings_as_ours(stack: Stack, site: s3.Bucket) -> s3deploy.BucketDeployment:
    """A user's BucketDeployment with the props the library's uploads use."""
    return s3deploy.BucketDeployment(
        stack,
        "Mine",
        sources=[s3deploy.Source.asset(SAMPLES)],
        destination_bucket=site,
        memory_limit=1024,
        ephemeral_storage_size=Size.mebibytes(512),
    )


def test_your_upload_on_our_function_made_after_ours_fails_synth_naming_it() -> None:
    app = new_app()
    stack = Stack(app, "Shared", env=ENV)
    ComprehendAnalysis(stack, "Claims", recognizer_arn=RECOGNIZER, input_documents=SAMPLES)
    _same_settings_as_ours(stack, s3.Bucket(stack, "Site", enforce_ssl=True))

    with pytest.raises(Exception, match=r"BucketDeployment at 'Shared/Mine' runs on") as error:
        app.synth()
    assert "memory_limit=1025" in str(error.value)


def test_your_upload_on_our_function_made_before_ours_is_refused_at_once() -> None:
    stack = Stack(new_app(), "SharedFirst", env=ENV)
    _same_settings_as_ours(stack, s3.Bucket(stack, "Site", enforce_ssl=True))

    with pytest.raises(PropValidationError, match="input_documents="):
        ComprehendAnalysis(stack, "Claims", recognizer_arn=RECOGNIZER, input_documents=SAMPLES)


def test_your_upload_with_other_settings_synthesizes_beside_ours() -> None:
    app = new_app()
    stack = Stack(app, "Apart", env=ENV)
    ComprehendAnalysis(stack, "Claims", recognizer_arn=RECOGNIZER, input_documents=SAMPLES)
    s3deploy.BucketDeployment(
        stack,
        "Mine",
        sources=[s3deploy.Source.asset(SAMPLES)],
        destination_bucket=s3.Bucket(stack, "Site", enforce_ssl=True),
        memory_limit=1025,
        ephemeral_storage_size=Size.mebibytes(512),
    )
    uploads = _uploads(app.synth().get_stack_by_name("Apart").template)
    assert len(set(uploads.values())) == 2
