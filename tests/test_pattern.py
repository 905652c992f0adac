"""ComprehendAnalysis: secure defaults, each switch, each replaceable part, deploy order."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
from aws_cdk import Environment, RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template
from nag_support import new_app

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    DocumentClassificationJob,
    EntityRecognitionJob,
    JobEncryption,
    JobNetwork,
    JobStorage,
    PropValidationError,
)
from comprehend_jobs._private.provider import JobHandler

RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets"
ENV = Environment(account="111122223333", region="us-east-1")
LOG_KEY = "arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100"
CLASSIFIER = "arn:aws:comprehend:us-east-1:111122223333:document-classifier/routing"
#: Documents for a pattern that makes its input bucket (a job never starts on an empty one).
SAMPLES = str(Path(__file__).resolve().parent.parent / "samples" / "entity-recognition")


def _resources(template: Mapping[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def _logical_id(template: Mapping[str, Any], type_: str, prefix: str) -> str:
    (lid,) = [lid for lid in _resources(template, type_) if lid.startswith(prefix)]
    return lid


def _job(template: Mapping[str, Any]) -> dict[str, Any]:
    (job,) = _resources(template, "Custom::ComprehendAnalysisJob").values()
    return job


@pytest.fixture(scope="module")
def defaults(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    documents = tmp_path_factory.mktemp("documents")
    (documents / "ticket-1.txt").write_text("My router in Berlin stopped working.\n")
    app = new_app()
    stack = Stack(app, "Defaults")
    analysis = ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=RECOGNIZER, input_documents=str(documents)
    )
    return {"analysis": analysis, "template": Template.from_stack(stack).to_json()}


def test_defaults_make_keys_buckets_vpc_role_and_job(defaults: dict[str, Any]) -> None:
    analysis, template = defaults["analysis"], defaults["template"]
    assert isinstance(analysis.encryption, JobEncryption)
    assert isinstance(analysis.storage, JobStorage)
    assert isinstance(analysis.network, JobNetwork)
    assert isinstance(analysis.role, DataAccessRole)
    assert isinstance(analysis.job, EntityRecognitionJob)
    keys = _resources(template, "AWS::KMS::Key")
    # Volume key, output key (also the buckets' key), and the handler's log key.
    assert len(keys) == 3
    assert all(k["Properties"]["EnableKeyRotation"] is True for k in keys.values())
    assert len(_resources(template, "AWS::S3::Bucket")) == 3
    assert len(_resources(template, "AWS::EC2::VPC")) == 1
    request = _job(template)["Properties"]["Request"]
    assert {"VpcConfig", "VolumeKmsKeyId"} <= set(request)
    assert "KmsKeyId" in request["OutputDataConfig"]


def test_defaults_have_no_idle_cost_network_parts(defaults: dict[str, Any]) -> None:
    template = defaults["template"]
    assert _resources(template, "AWS::EC2::NatGateway") == {}
    endpoints = _resources(template, "AWS::EC2::VPCEndpoint").values()
    assert [e["Properties"].get("VpcEndpointType", "Gateway") for e in endpoints] == ["Gateway"]


def test_buckets_and_keys_are_retained_by_default(defaults: dict[str, Any]) -> None:
    template = defaults["template"]
    for bucket in _resources(template, "AWS::S3::Bucket").values():
        assert bucket["DeletionPolicy"] == "Retain"
    data_keys = [
        k
        for lid, k in _resources(template, "AWS::KMS::Key").items()
        if lid.startswith("TicketsEncryption")
    ]
    assert data_keys and all(k["DeletionPolicy"] == "Retain" for k in data_keys)


def test_log_key_is_retained_with_the_flow_logs_it_encrypts(defaults: dict[str, Any]) -> None:
    template = defaults["template"]
    (flow_logs,) = [
        r
        for lid, r in _resources(template, "AWS::Logs::LogGroup").items()
        if lid.startswith("TicketsNetwork")
    ]
    log_key = _logical_id(template, "AWS::KMS::Key", "ComprehendJobsHandlerLogKey")
    # The flow logs outlive the stack, so the key that reads them must too.
    assert flow_logs["DeletionPolicy"] == "Retain"
    assert flow_logs["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [log_key, "Arn"]}
    assert template["Resources"][log_key]["DeletionPolicy"] == "Retain"
    assert template["Resources"][log_key]["UpdateReplacePolicy"] == "Retain"


def test_job_starts_after_the_upload_and_the_role_policy(defaults: dict[str, Any]) -> None:
    template = defaults["template"]
    job = _job(template)
    (upload_id,) = _resources(template, "Custom::CDKBucketDeployment")
    assert upload_id in job["DependsOn"]
    role_policies = [
        lid
        for lid in _resources(template, "AWS::IAM::ManagedPolicy")
        if lid.startswith("TicketsDataAccessRole")
    ]
    assert role_policies and set(role_policies) <= set(job["DependsOn"])


def test_upload_goes_to_the_input_prefix_and_never_prunes(defaults: dict[str, Any]) -> None:
    (upload,) = _resources(defaults["template"], "Custom::CDKBucketDeployment").values()
    props = upload["Properties"]
    assert props["DestinationBucketKeyPrefix"] == "input/"
    assert props["Prune"] is False
    assert props["RetainOnDelete"] is True


def test_upload_role_has_no_aws_managed_policy(defaults: dict[str, Any]) -> None:
    template = defaults["template"]
    role = template["Resources"][
        next(
            iter(
                lid
                for lid in _resources(template, "AWS::IAM::Role")
                # Every upload of the stack runs as the library's one upload role.
                if lid.startswith("ComprehendJobsHandlerInputDocumentsRole")
            )
        )
    ]
    assert "ManagedPolicyArns" not in role["Properties"]
    assert _resources(template, "AWS::IAM::Policy") == {}


@pytest.fixture(scope="module")
def switched_off() -> dict[str, Any]:
    app = new_app()
    stack = Stack(app, "Plain")
    analysis = ComprehendAnalysis(
        stack,
        "Routing",
        classifier_arn=CLASSIFIER,
        network=False,
        encryption=False,
        removal_policy=RemovalPolicy.DESTROY,
        input_documents=SAMPLES,
    )
    return {"analysis": analysis, "template": Template.from_stack(stack).to_json()}


def test_vpc_false_runs_outside_any_vpc(switched_off: dict[str, Any]) -> None:
    template = switched_off["template"]
    assert switched_off["analysis"].network is None
    assert _resources(template, "AWS::EC2::VPC") == {}
    assert "VpcConfig" not in _job(template)["Properties"]["Request"]
    assert "ec2:" not in json.dumps(_resources(template, "AWS::IAM::ManagedPolicy"))


def test_encryption_false_sends_no_customer_keys(switched_off: dict[str, Any]) -> None:
    analysis, template = switched_off["analysis"], switched_off["template"]
    request = _job(template)["Properties"]["Request"]
    assert analysis.encryption is None
    assert "VolumeKmsKeyId" not in request
    assert "KmsKeyId" not in request["OutputDataConfig"]
    # The buckets still get SSE-KMS with a key of their own.
    assert analysis.storage.data_key is not None


def test_classifier_makes_a_classification_job(switched_off: dict[str, Any]) -> None:
    analysis, template = switched_off["analysis"], switched_off["template"]
    assert isinstance(analysis.job, DocumentClassificationJob)
    props = _job(template)["Properties"]
    assert props["JobType"] == "DocumentClassification"
    assert props["Request"]["DocumentClassifierArn"] == CLASSIFIER


def test_removal_policy_reaches_the_buckets(switched_off: dict[str, Any]) -> None:
    for bucket in _resources(switched_off["template"], "AWS::S3::Bucket").values():
        assert bucket["DeletionPolicy"] == "Delete"


def test_without_a_vpc_the_log_key_is_retained_all_the_same(
    switched_off: dict[str, Any],
) -> None:
    # Issue 22.5/22.9: swapping the log key (log_key=) or leaving the VPC later must not
    # delete the key while log groups keep events under it. The log groups themselves
    # (no flow logs here) are deleted with the stack, their events with them.
    template = switched_off["template"]
    key = template["Resources"][
        _logical_id(template, "AWS::KMS::Key", "ComprehendJobsHandlerLogKey")
    ]
    assert key["DeletionPolicy"] == "Retain"
    assert key["UpdateReplacePolicy"] == "Retain"
    groups = _resources(template, "AWS::Logs::LogGroup").values()
    assert groups and all(g["DeletionPolicy"] == "Delete" for g in groups)


def test_a_brought_log_key_encrypts_every_log_and_environment(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    documents = tmp_path_factory.mktemp("brought-key-documents")
    (documents / "ticket-1.txt").write_text("My router in Berlin stopped working.\n")
    app = new_app()
    stack = Stack(app, "BroughtLogKey", env=ENV)
    key = kms.Key.from_key_arn(stack, "LogKey", LOG_KEY)
    analysis = ComprehendAnalysis(
        stack,
        "Tickets",
        recognizer_arn=RECOGNIZER,
        input_documents=str(documents),
        wait_for_completion=True,
        log_key=key,
    )
    assert JobHandler.of(stack).log_key is key
    template = Template.from_stack(stack).to_json()
    # Only the job's volume and output keys: no log key of the library's.
    assert sorted(_resources(template, "AWS::KMS::Key")) == [
        _logical_id(template, "AWS::KMS::Key", "TicketsEncryptionOutputKey"),
        _logical_id(template, "AWS::KMS::Key", "TicketsEncryptionVolumeKey"),
    ]
    groups = _resources(template, "AWS::Logs::LogGroup")
    # Handler (2), framework, waiter, upload, and the VPC's flow logs.
    assert len(groups) == 6
    assert all(g["Properties"]["KmsKeyId"] == LOG_KEY for g in groups.values())
    assert isinstance(analysis.network, JobNetwork) and analysis.network.flow_log_group is not None
    functions = {
        lid: r
        for lid, r in _resources(template, "AWS::Lambda::Function").items()
        if "framework" in lid or lid.startswith("CustomCDKBucketDeployment")
    }
    # The framework's three functions and the upload's: environments under the brought key.
    assert len(functions) == 4
    assert all(f["Properties"]["KmsKeyArn"] == LOG_KEY for f in functions.values())


def test_a_log_key_after_the_stacks_handler_exists_is_a_prop_error() -> None:
    app = new_app()
    stack = Stack(app, "LateKey", env=ENV)
    ComprehendAnalysis(
        stack, "First", recognizer_arn=RECOGNIZER, network=False, input_documents=SAMPLES
    )
    key = kms.Key.from_key_arn(stack, "LogKey", LOG_KEY)
    before = [c.node.id for c in stack.node.children]
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(
            stack,
            "Second",
            recognizer_arn=RECOGNIZER,
            network=False,
            log_key=key,
            input_documents=SAMPLES,
        )
    message = str(raised.value)
    assert "log_key='LateKey/LogKey' is not valid" in message
    assert "LateKey/ComprehendJobsHandler already exists" in message
    assert "pass log_key= to the first ComprehendAnalysis" in message
    assert [c.node.id for c in stack.node.children] == before


def test_existing_parts_are_used_not_duplicated() -> None:
    app = new_app()
    stack = Stack(app, "Existing")
    encryption = JobEncryption(stack, "Keys")
    storage = JobStorage(stack, "Buckets", encryption=encryption)
    network = JobNetwork(stack, "Vpc")
    role = DataAccessRole(stack, "Access", storage=storage, encryption=encryption, network=network)
    analysis = ComprehendAnalysis(
        stack,
        "Tickets",
        recognizer_arn=RECOGNIZER,
        encryption=encryption,
        storage=storage,
        network=network,
        role=role,
        input_documents=SAMPLES,
    )
    assert analysis.storage is storage and analysis.role is role
    assert analysis.network is network and analysis.encryption is encryption
    template = Template.from_stack(stack).to_json()
    assert len(_resources(template, "AWS::EC2::VPC")) == 1
    assert len(_resources(template, "AWS::S3::Bucket")) == 3
    # The pattern makes no role: no DataAccessRole of its own, and the upload of its
    # documents is the brought storage's.
    assert [lid for lid in _resources(template, "AWS::IAM::Role") if "Tickets" in lid] == []
    assert [lid for lid in _resources(template, "AWS::IAM::Role") if "InputDocuments" in lid] == [
        "ComprehendJobsHandlerInputDocumentsRoleB0608C04"
    ]
    assert analysis.upload is storage.input_upload


@pytest.mark.parametrize(
    ("props", "needles"),
    [
        ({}, ["recognizer_arn or classifier_arn", "exactly one model source"]),
        (
            {"recognizer_arn": RECOGNIZER, "classifier_arn": CLASSIFIER},
            ["exactly one model source", "remove the others"],
        ),
        (
            {"recognizer_arn": RECOGNIZER.replace("entity-recognizer", "recognizer")},
            ["recognizer_arn='arn:aws:comprehend", "entity-recognizer/"],
        ),
        ({"recognizer_arn": RECOGNIZER, "job_name": "a,b"}, ["job_name='a,b'"]),
        (
            {"classifier_arn": CLASSIFIER, "language_code": "en"},
            ["language_code='en'", "classification jobs take no language"],
        ),
        (
            {
                "recognizer_arn": RECOGNIZER,
                "storage": "STORAGE",
                "removal_policy": RemovalPolicy.DESTROY,
            },
            ["removal_policy=", "set the removal policy on your JobStorage"],
        ),
    ],
)
def test_bad_props_are_named_and_create_nothing(props: dict[str, Any], needles: list[str]) -> None:
    app = new_app()
    stack = Stack(app, "Bad")
    if props.get("storage") == "STORAGE":
        props = {**props, "storage": JobStorage(stack, "Storage")}
    before = [c.node.id for c in stack.node.children]
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(stack, "Analysis", **props)
    for needle in needles:
        assert needle in str(raised.value)
    assert [c.node.id for c in stack.node.children] == before


def test_documents_folder_must_exist() -> None:
    app = new_app()
    stack = Stack(app, "Missing")
    missing = str(Path("no-such-folder").resolve())
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(stack, "Analysis", recognizer_arn=RECOGNIZER, input_documents=missing)
    assert f"input_documents={missing!r}" in str(raised.value)
    assert stack.node.children == []


# -- issue 13: one vocabulary, string booleans, messages a new user can act on ----------


def test_each_job_rule_runs_once_per_analysis() -> None:
    # The pattern checks the job's props before it makes anything, then hands the checked
    # props to the job: no rule runs a second time when the job is built.
    calls = _rule_calls(
        lambda stack: ComprehendAnalysis(
            stack,
            "Analysis",
            recognizer_arn=RECOGNIZER,
            input_documents=SAMPLES,
            job_name="tickets",
            tags={"team": "support"},
        )
    )
    assert calls == dict.fromkeys(calls, 1)
    assert {"check_model_source", "check_job_props", "check_same_region"} <= set(calls)


def _rule_calls(build: Any) -> dict[str, int]:
    """How often each rule of ``job_rules`` ran while ``build(stack)`` ran (rules that did
    not run are left out)."""
    import contextlib
    from unittest import mock

    from comprehend_jobs._private import job_rules

    rules = {
        name: rule
        for name, rule in vars(job_rules).items()
        if callable(rule)
        and not name.startswith("_")
        and getattr(rule, "__module__", None) == job_rules.__name__
    }
    stack = Stack(new_app(), "Once", env=ENV)
    with contextlib.ExitStack() as patches:
        spies = {
            name: patches.enter_context(mock.patch.object(job_rules, name, wraps=rule))
            for name, rule in rules.items()
        }
        build(stack)
    return {name: spy.call_count for name, spy in spies.items() if spy.call_count}


@pytest.mark.parametrize(
    ("prop", "value", "fix"),
    [
        ("network", "false", "pass network=False"),
        ("encryption", "false", "pass encryption=False"),
        ("wait_for_completion", "yes", "pass wait_for_completion=True"),
        ("stop_on_delete", "no", "pass stop_on_delete=False"),
        ("encryption", 0, "pass encryption=True or encryption=False"),
    ],
)
def test_string_booleans_are_prop_errors(prop: str, value: Any, fix: str) -> None:
    stack = Stack(new_app(), "Strings", env=ENV)
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(stack, "Analysis", recognizer_arn=RECOGNIZER, **{prop: value})
    message = str(raised.value)
    first = message.splitlines()[0]
    assert first.startswith("ComprehendAnalysis at 'Strings/Analysis': invalid props: ")
    assert f"{prop}={value!r} is not valid: True or False" in first
    assert fix in first
    assert stack.node.children == []


def test_a_classifier_arn_as_recognizer_arn_says_use_classifier_arn() -> None:
    stack = Stack(new_app(), "Swapped", env=ENV)
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(stack, "Analysis", recognizer_arn=CLASSIFIER)
    message = str(raised.value)
    assert "this is a document-classifier ARN" in message
    assert "Fix: use classifier_arn=" in message
    assert "[a-zA-Z0-9-]" not in message  # no regex dump


def test_a_document_reader_needs_one_doc_per_file() -> None:
    from comprehend_jobs import DocumentReadAction, DocumentReader

    stack = Stack(new_app(), "Reader", env=ENV)
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(
            stack,
            "Analysis",
            classifier_arn=CLASSIFIER,
            document_reader=DocumentReader(
                read_action=DocumentReadAction.TEXTRACT_DETECT_DOCUMENT_TEXT
            ),
        )
    assert "Fix: pass input_format=InputFormat.ONE_DOC_PER_FILE" in str(raised.value)
    assert stack.node.children == []


def test_region_errors_name_the_prop_and_objects_print_readably() -> None:
    stack = Stack(new_app(), "Far", env=ENV)
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(
            stack,
            "Analysis",
            recognizer_arn=RECOGNIZER.replace("us-east-1", "eu-west-1"),
            storage=kms.Key.from_key_arn(stack, "NotStorage", LOG_KEY),  # type: ignore[arg-type]
        )
    message = str(raised.value)
    assert "recognizer_arn='arn:aws:comprehend:eu-west-1" in message
    assert "EntityRecognizerArn" not in message
    assert "storage=<an imported kms.IKey at 'Far/NotStorage'>" in message
    assert "InterfaceDynamicProxy" not in message


def _documents_stack(folder: Path) -> Mapping[str, Any]:
    stack = Stack(new_app(), "Docs", env=ENV)
    ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=RECOGNIZER, network=False, input_documents=str(folder)
    )
    return Template.from_stack(stack).to_json()


def test_a_changed_document_starts_a_new_job_and_an_unchanged_one_does_not(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "ticket-1.txt").write_text("My invoice INV-1 was charged twice.\n")
    first, same = _documents_stack(folder), _documents_stack(folder)
    (folder / "ticket-2.txt").write_text("Order 42 arrived damaged.\n")
    changed = _documents_stack(folder)
    (job_id,) = _resources(first, "Custom::ComprehendAnalysisJob")
    (upload_id,) = _resources(first, "Custom::CDKBucketDeployment")
    job = first["Resources"][job_id]
    # The job starts after the upload, and its RerunToken carries the upload's source
    # object keys (content hashes): CloudFormation updates the job when they change.
    assert upload_id in job["DependsOn"]
    assert job["Properties"]["RerunToken"] == {
        "Fn::Join": [
            "|",
            ["", {"Fn::Join": [",", {"Fn::GetAtt": [upload_id, "SourceObjectKeys"]}]}],
        ]
    }
    keys = [
        t["Resources"][upload_id]["Properties"]["SourceObjectKeys"] for t in (first, same, changed)
    ]
    assert keys[0] == keys[1] and keys[0] != keys[2]
    assert first == same


def test_a_created_input_bucket_needs_documents() -> None:
    stack = Stack(new_app(), "Empty", env=ENV)
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(stack, "Tickets", recognizer_arn=RECOGNIZER, network=False)
    message = str(raised.value)
    assert "input_documents=None is not valid" in message
    assert "a job started on a new, empty bucket finds nothing" in message
    assert "input_s3_uri='s3://your-bucket/your/prefix/'" in message
    assert len(stack.node.find_all()) == before


def test_brought_documents_in_s3_need_no_upload() -> None:
    stack = Stack(new_app(), "Brought", env=ENV)
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri="s3://my-corp-data/claims/")
    analysis = ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=RECOGNIZER, network=False, storage=storage
    )
    assert analysis.upload is None


# -- the console's forms: S3 URIs as strings, a flywheel as the model ----------------------

INPUT_URI = "s3://my-corp-data/claims/2026/"
OUTPUT_URI = "s3://my-corp-results/comprehend/claims/"
FLYWHEEL = "arn:aws:comprehend:us-east-1:111122223333:flywheel/claims"


@pytest.fixture(scope="module")
def console_uris() -> dict[str, Any]:
    stack = Stack(new_app(), "ConsoleUris", env=ENV)
    analysis = ComprehendAnalysis(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER,
        input_s3_uri=INPUT_URI,
        output_s3_uri=OUTPUT_URI,
        network=False,
    )
    return {"analysis": analysis, "template": Template.from_stack(stack).to_json()}


def test_console_uris_are_the_requests_locations_and_make_no_bucket(
    console_uris: dict[str, Any],
) -> None:
    template = console_uris["template"]
    request = _job(template)["Properties"]["Request"]
    assert request["InputDataConfig"] == {"S3Uri": INPUT_URI}
    assert request["OutputDataConfig"]["S3Uri"] == OUTPUT_URI
    assert _resources(template, "AWS::S3::Bucket") == {}
    assert console_uris["analysis"].upload is None


def test_the_role_reads_and_writes_exactly_the_uris(console_uris: dict[str, Any]) -> None:
    policies = json.dumps(_resources(console_uris["template"], "AWS::IAM::ManagedPolicy"))
    assert "arn:aws:s3:::my-corp-data/claims/2026/*" in policies
    assert "arn:aws:s3:::my-corp-results/comprehend/claims/*" in policies


def test_documents_are_uploaded_into_the_input_uri_before_the_job() -> None:
    stack = Stack(new_app(), "UploadToUri", env=ENV)
    analysis = ComprehendAnalysis(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER,
        input_s3_uri=INPUT_URI,
        input_documents=SAMPLES,
        network=False,
    )
    template = Template.from_stack(stack).to_json()
    (upload_id, upload) = next(iter(_resources(template, "Custom::CDKBucketDeployment").items()))
    assert upload["Properties"]["DestinationBucketName"] == "my-corp-data"
    assert upload["Properties"]["DestinationBucketKeyPrefix"] == "claims/2026/"
    # Never deletes what is already there.
    assert upload["Properties"]["Prune"] is False
    assert upload_id in _job(template)["DependsOn"]
    # No input bucket: only the output bucket (and its access-log bucket) are made.
    assert isinstance(analysis.storage, JobStorage)
    assert analysis.storage.created_buckets == [analysis.storage.output_bucket]
    assert len(_resources(template, "AWS::S3::Bucket")) == 2


@pytest.mark.parametrize(
    ("model_type", "job_class", "stem"),
    [
        ("ENTITY_RECOGNIZER", EntityRecognitionJob, "EntitiesDetection"),
        ("DOCUMENT_CLASSIFIER", DocumentClassificationJob, "DocumentClassification"),
    ],
)
def test_a_flywheel_starts_the_job_its_model_type_names(
    model_type: Any, job_class: type, stem: str
) -> None:
    stack = Stack(new_app(), "Flywheel", env=ENV)
    analysis = ComprehendAnalysis(
        stack,
        "Claims",
        flywheel_arn=FLYWHEEL,
        flywheel_model_type=model_type,
        input_s3_uri=INPUT_URI,
        network=False,
    )
    assert isinstance(analysis.job, job_class)
    assert analysis.job.job_type.stem == stem
    request = stack.resolve(analysis.job.request)
    assert request["FlywheelArn"] == FLYWHEEL
    assert not {"EntityRecognizerArn", "DocumentClassifierArn"} & set(request)


def test_the_flywheel_model_types_are_the_apis() -> None:
    from comprehend_jobs._private import api_model
    from comprehend_jobs._private.analysis_rules import FLYWHEEL_JOB_TYPES

    assert sorted(FLYWHEEL_JOB_TYPES) == sorted(api_model.enum_values("ModelType"))
    # ... and the prop's type says the same to a type checker.
    # The module imports aws_s3_deployment for type checkers only (an app that uploads no
    # documents never loads it): the annotations name it as ``s3deploy``.
    from aws_cdk import aws_s3_deployment as s3deploy

    hints = get_type_hints(ComprehendAnalysis.__init__, localns={"s3deploy": s3deploy})
    hint = hints["flywheel_model_type"]
    (literal, _none) = get_args(hint)
    assert sorted(get_args(literal)) == sorted(FLYWHEEL_JOB_TYPES)


@pytest.mark.parametrize(
    ("props", "prop", "value", "fix"),
    [
        (
            {"flywheel_arn": FLYWHEEL, "input_s3_uri": INPUT_URI},
            "flywheel_model_type",
            "None",
            "pass flywheel_model_type='ENTITY_RECOGNIZER' (custom entity recognition) or "
            "'DOCUMENT_CLASSIFIER'",
        ),
        (
            {
                "flywheel_arn": FLYWHEEL,
                "flywheel_model_type": "entity-recognizer",
                "input_s3_uri": INPUT_URI,
            },
            "flywheel_model_type",
            "'entity-recognizer'",
            "use flywheel_model_type='ENTITY_RECOGNIZER'",
        ),
        (
            {
                "recognizer_arn": RECOGNIZER,
                "flywheel_model_type": "ENTITY_RECOGNIZER",
                "input_s3_uri": INPUT_URI,
            },
            "flywheel_model_type",
            "'ENTITY_RECOGNIZER'",
            "drop flywheel_model_type=",
        ),
        (
            {"flywheel_arn": FLYWHEEL, "recognizer_arn": RECOGNIZER, "input_s3_uri": INPUT_URI},
            "recognizer_arn or classifier_arn or flywheel_arn",
            "{'recognizer_arn': ",
            "pass one of recognizer_arn or classifier_arn or flywheel_arn and remove the others",
        ),
        (
            {"recognizer_arn": FLYWHEEL, "input_s3_uri": INPUT_URI},
            "recognizer_arn",
            repr(FLYWHEEL),
            "use flywheel_arn=",
        ),
        (
            {
                "flywheel_arn": FLYWHEEL,
                "flywheel_model_type": "DOCUMENT_CLASSIFIER",
                "language_code": "de",
                "input_s3_uri": INPUT_URI,
            },
            "language_code",
            "'de'",
            "remove language_code=",
        ),
        (
            {"recognizer_arn": RECOGNIZER, "input_s3_uri": "s3://my-corp-data/claims/2026"},
            "input_s3_uri",
            "'s3://my-corp-data/claims/2026'",
            "use input_s3_uri='s3://my-corp-data/claims/2026/'",
        ),
        (
            {"recognizer_arn": RECOGNIZER, "input_s3_uri": "S3://My-Corp-Data/claims/"},
            "input_s3_uri",
            "'S3://My-Corp-Data/claims/'",
            "use input_s3_uri='s3://my-corp-data/claims/'",
        ),
        (
            {
                "recognizer_arn": RECOGNIZER,
                "input_s3_uri": INPUT_URI,
                "output_s3_uri": "s3://my-corp-data/claims/2026/results/",
            },
            "output_s3_uri",
            "'s3://my-corp-data/claims/2026/results/'",
            "use separate prefixes",
        ),
        (
            {
                "recognizer_arn": RECOGNIZER,
                "input_s3_uri": INPUT_URI,
                "output_s3_uri": OUTPUT_URI,
                "removal_policy": RemovalPolicy.DESTROY,
            },
            "removal_policy",
            "RemovalPolicy.DESTROY",
            "drop removal_policy=",
        ),
        (
            {"recognizer_arn": RECOGNIZER, "input_s3_uri": INPUT_URI, "storage": "STORAGE"},
            "input_s3_uri",
            repr(INPUT_URI),
            "drop storage= and keep input_s3_uri=",
        ),
        (
            {"recognizer_arn": RECOGNIZER, "output_s3_uri": OUTPUT_URI},
            "input_documents",
            "None",
            "pass input_documents='path/to/folder'",
        ),
    ],
    ids=[
        "flywheel without its model type",
        "flywheel model type misspelt",
        "flywheel model type without a flywheel",
        "flywheel and recognizer",
        "flywheel as recognizer",
        "language for a classifier flywheel",
        "input uri prefix without a slash",
        "input uri in capitals",
        "output uri inside the input uri",
        "removal policy with both uris",
        "uri with storage",
        "output uri alone still makes an empty input bucket",
    ],
)
def test_bad_console_forms_name_the_prop_value_and_fix_and_make_nothing(
    props: dict[str, Any], prop: str, value: str, fix: str
) -> None:
    stack = Stack(new_app(), "BadForms", env=ENV)
    if props.get("storage") == "STORAGE":
        props = {**props, "storage": JobStorage(stack, "Storage")}
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(stack, "Claims", network=False, **props)
    (problem,) = [p for p in raised.value.problems if p.startswith(f"{prop}=")]
    assert problem.startswith(f"{prop}={value}"), problem
    assert " is not valid: " in problem
    assert fix in problem.split("Fix: ", 1)[1], problem
    assert len(stack.node.find_all()) == before


def test_a_role_of_yours_by_arn_is_the_jobs_role() -> None:
    role_arn = "arn:aws:iam::111122223333:role/comprehend-claims"
    stack = Stack(new_app(), "BroughtRole", env=ENV)
    analysis = ComprehendAnalysis(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER,
        input_s3_uri=INPUT_URI,
        output_s3_uri=OUTPUT_URI,
        network=False,
        role=DataAccessRole.from_role_arn(stack, "Role", role_arn),
    )
    assert stack.resolve(analysis.job.request)["DataAccessRoleArn"] == role_arn


def test_a_part_without_the_interface_names_what_it_lacks() -> None:
    stack = Stack(new_app(), "NotAPart", env=ENV)
    key = kms.Key.from_key_arn(stack, "Key", LOG_KEY)
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(
            stack,
            "Claims",
            recognizer_arn=RECOGNIZER,
            input_s3_uri=INPUT_URI,
            network=key,  # type: ignore[arg-type]
        )
    (problem,) = raised.value.problems
    assert problem.startswith("network=<an imported kms.IKey at 'NotAPart/Key'> is not valid")
    assert " is not valid: an IJobNetwork" in problem
    assert "Fix: pass network=JobNetwork(...)" in problem
    assert len(stack.node.find_all()) == before
