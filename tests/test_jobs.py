"""Job constructs on synthesized templates: the Request wiring of both seed flows, one
shared provider for many jobs, the caller's IAM, dependencies and attributes."""

from __future__ import annotations

import dataclasses
import inspect
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Annotations, Match, Template
from nag_support import new_app

from comprehend_jobs import (
    AnalysisJob,
    DataAccessRole,
    DocumentClassificationJob,
    DocumentReader,
    DominantLanguageDetectionJob,
    EntityRecognitionJob,
    EventsDetectionJob,
    InputFormat,
    JobEncryption,
    JobNetwork,
    JobStorage,
    KeyPhrasesDetectionJob,
    PiiEntitiesDetectionJob,
    PropValidationError,
    SentimentDetectionJob,
    TargetedSentimentDetectionJob,
    TopicsDetectionJob,
)
from comprehend_jobs.job_types import JOB_TYPES, KEY_PHRASES_DETECTION

RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets/version/v2"
CLASSIFIER = "arn:aws:comprehend:us-east-1:111122223333:document-classifier/routing"
JOB_TYPE = "Custom::ComprehendAnalysisJob"
#: Documents already in S3: a job on them needs no upload.
DOCUMENTS = "s3://example-documents/input/"
SAMPLES = str(Path(__file__).resolve().parent.parent / "samples" / "entity-recognition")
JOB_CLASSES = (
    EntityRecognitionJob,
    DocumentClassificationJob,
    DominantLanguageDetectionJob,
    KeyPhrasesDetectionJob,
    SentimentDetectionJob,
    TargetedSentimentDetectionJob,
    PiiEntitiesDetectionJob,
    TopicsDetectionJob,
    EventsDetectionJob,
)


def _jobs_by_path(template: Mapping[str, Any]) -> dict[str, Any]:
    """Job resources keyed by the id of the job construct (from the logical id prefix)."""
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == JOB_TYPE
    }


def _job(template: Mapping[str, Any], construct_id: str) -> Any:
    (resource,) = [r for lid, r in _jobs_by_path(template).items() if lid.startswith(construct_id)]
    return resource


def _ref_id(template: Mapping[str, Any], type_: str, path_hint: str) -> str:
    (logical_id,) = [
        lid for lid, r in template["Resources"].items() if r["Type"] == type_ and path_hint in lid
    ]
    return logical_id


@pytest.fixture(scope="module")
def seed_flows() -> dict[str, Any]:
    """Both seed flows, each with VPC + keys and without, sharing storage and roles."""
    app = new_app()
    stack = Stack(app, "SeedFlows")
    encryption = JobEncryption(stack, "Encryption")
    storage = JobStorage.from_s3_uris(
        stack, "Storage", input_s3_uri=DOCUMENTS, encryption=encryption
    )
    network = JobNetwork(stack, "Network")
    secure_role = DataAccessRole(
        stack, "SecureRole", storage=storage, encryption=encryption, network=network
    )
    plain_role = DataAccessRole(stack, "PlainRole", storage=storage)
    EntityRecognitionJob(
        stack,
        "EntitiesSecure",
        recognizer_arn=RECOGNIZER,
        storage=storage,
        role=secure_role,
        encryption=encryption,
        network=network,
        input_format=InputFormat.ONE_DOC_PER_LINE,
        job_name="tickets-entities",
        tags={"team": "support", "cost-center": "42"},
    )
    EntityRecognitionJob(
        stack,
        "EntitiesPlain",
        recognizer_arn=RECOGNIZER,
        storage=storage,
        role=plain_role,
        language_code="de",
    )
    DocumentClassificationJob(
        stack,
        "ClassificationSecure",
        classifier_arn=CLASSIFIER,
        storage=storage,
        role=secure_role,
        encryption=encryption,
        network=network,
        input_format=InputFormat.ONE_DOC_PER_FILE,
        document_reader=DocumentReader(
            read_action="TEXTRACT_ANALYZE_DOCUMENT", feature_types=["TABLES", "FORMS"]
        ),
    )
    DocumentClassificationJob(
        stack,
        "ClassificationPlain",
        classifier_arn=CLASSIFIER,
        storage=storage,
        role=plain_role,
        stop_on_delete=False,
        rerun_token="2026-11-23",
    )
    template = Template.from_stack(stack).to_json()
    return {"template": template, "stack": stack}


def test_entities_with_vpc_and_keys_sends_every_console_field(seed_flows: dict[str, Any]) -> None:
    template = seed_flows["template"]
    props = _job(template, "EntitiesSecure")["Properties"]
    request = props["Request"]
    assert props["JobType"] == "EntitiesDetection"
    assert props["StopOnDelete"] is True
    assert props["WaitForCompletion"] is False
    assert "RerunToken" not in props
    assert sorted(request) == [
        "DataAccessRoleArn",
        "EntityRecognizerArn",
        "InputDataConfig",
        "JobName",
        "LanguageCode",
        "OutputDataConfig",
        "Tags",
        "VolumeKmsKeyId",
        "VpcConfig",
    ]
    assert request["EntityRecognizerArn"] == RECOGNIZER
    assert request["JobName"] == "tickets-entities"
    assert request["LanguageCode"] == "en"
    assert request["InputDataConfig"]["InputFormat"] == "ONE_DOC_PER_LINE"
    # Tags are sorted by key, whatever order they were given in.
    assert request["Tags"] == [
        {"Key": "cost-center", "Value": "42"},
        {"Key": "team", "Value": "support"},
    ]
    volume_key = _ref_id(template, "AWS::KMS::Key", "EncryptionVolumeKey")
    output_key = _ref_id(template, "AWS::KMS::Key", "EncryptionOutputKey")
    assert request["VolumeKmsKeyId"] == {"Fn::GetAtt": [volume_key, "Arn"]}
    assert request["OutputDataConfig"]["KmsKeyId"] == {"Fn::GetAtt": [output_key, "Arn"]}
    role = _ref_id(template, "AWS::IAM::Role", "SecureRole")
    assert request["DataAccessRoleArn"] == {"Fn::GetAtt": [role, "Arn"]}
    security_group = _ref_id(template, "AWS::EC2::SecurityGroup", "Network")
    assert request["VpcConfig"]["SecurityGroupIds"] == [{"Fn::GetAtt": [security_group, "GroupId"]}]
    subnets = request["VpcConfig"]["Subnets"]
    assert len(subnets) == 2
    assert all(s["Ref"].startswith("Network") for s in subnets)


def test_entities_without_vpc_or_keys_sends_neither(seed_flows: dict[str, Any]) -> None:
    request = _job(seed_flows["template"], "EntitiesPlain")["Properties"]["Request"]
    assert sorted(request) == [
        "DataAccessRoleArn",
        "EntityRecognizerArn",
        "InputDataConfig",
        "LanguageCode",
        "OutputDataConfig",
    ]
    assert request["LanguageCode"] == "de"
    assert sorted(request["OutputDataConfig"]) == ["S3Uri"]
    assert sorted(request["InputDataConfig"]) == ["S3Uri"]


def test_input_and_output_uris_point_at_the_storage_prefixes(seed_flows: dict[str, Any]) -> None:
    template = seed_flows["template"]
    request = _job(template, "EntitiesPlain")["Properties"]["Request"]
    stack = seed_flows["stack"]
    storage = stack.node.find_child("Storage")
    assert request["InputDataConfig"]["S3Uri"] == stack.resolve(storage.input_s3_uri)
    assert request["OutputDataConfig"]["S3Uri"] == stack.resolve(storage.output_s3_uri)
    assert request["InputDataConfig"]["S3Uri"] == DOCUMENTS
    assert json.dumps(request["OutputDataConfig"]["S3Uri"]).endswith('"/output/"]]}')


def test_classification_with_document_reader(seed_flows: dict[str, Any]) -> None:
    props = _job(seed_flows["template"], "ClassificationSecure")["Properties"]
    request = props["Request"]
    assert props["JobType"] == "DocumentClassification"
    assert "LanguageCode" not in request
    assert request["DocumentClassifierArn"] == CLASSIFIER
    assert request["InputDataConfig"]["InputFormat"] == "ONE_DOC_PER_FILE"
    assert request["InputDataConfig"]["DocumentReaderConfig"] == {
        "DocumentReadAction": "TEXTRACT_ANALYZE_DOCUMENT",
        "FeatureTypes": ["FORMS", "TABLES"],
    }
    assert "VpcConfig" in request and "VolumeKmsKeyId" in request


def test_flags_and_rerun_token_are_passed_through(seed_flows: dict[str, Any]) -> None:
    props = _job(seed_flows["template"], "ClassificationPlain")["Properties"]
    assert props["StopOnDelete"] is False
    assert props["RerunToken"] == "2026-11-23"


def test_jobs_share_one_provider_and_the_library_functions(seed_flows: dict[str, Any]) -> None:
    template = seed_flows["template"]
    functions = sorted(
        lid
        for lid, r in template["Resources"].items()
        if r["Type"] == "AWS::Lambda::Function"
        # aws-cdk-lib's own function that empties the VPC's default security group.
        and not lid.startswith("CustomVpcRestrictDefaultSG")
    )
    # Ours (on_event, is_complete) and the framework's three: one provider, with the
    # waiter, serves waiting and non-waiting jobs alike (the ServiceToken never changes).
    assert [lid[:-8] for lid in functions] == [
        "ComprehendJobsHandlerIsComplete",
        "ComprehendJobsHandlerOnEvent",
        "ComprehendJobsProviderframeworkisComplete",
        "ComprehendJobsProviderframeworkonEvent",
        "ComprehendJobsProviderframeworkonTimeout",
    ]
    machines = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"
    ]
    assert len(machines) == 1
    tokens = {json.dumps(r["Properties"]["ServiceToken"]) for r in _jobs_by_path(template).values()}
    assert len(tokens) == 1


def test_handler_runs_on_newest_python(seed_flows: dict[str, Any]) -> None:
    template = seed_flows["template"]
    ours = {
        r["Properties"]["Handler"]: r
        for lid, r in template["Resources"].items()
        if r["Type"] == "AWS::Lambda::Function" and lid.startswith("ComprehendJobsHandler")
    }
    assert sorted(ours) == ["analysis_job.is_complete", "analysis_job.on_event"]
    assert {r["Properties"]["Runtime"] for r in ours.values()} == {"python3.14"}


def test_caller_policy_is_exact(seed_flows: dict[str, Any]) -> None:
    template = seed_flows["template"]
    (policy,) = [
        r
        for lid, r in template["Resources"].items()
        if lid.startswith("ComprehendJobsHandlerCallerPolicy")
    ]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]

    def job_arn(resource: str) -> dict[str, Any]:
        return {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":comprehend:",
                    {"Ref": "AWS::Region"},
                    ":",
                    {"Ref": "AWS::AccountId"},
                    f":{resource}/*",
                ],
            ]
        }

    by_sid = {s["Sid"]: s for s in statements}
    assert sorted(by_sid) == sorted(
        [
            "ReadOwnStackStatus",
            "WriteOnEventLogs",
            "WriteIsCompleteLogs",
            "RunAndTagJobs",
            "FindJobsByName",
            "UseDocumentClassificationModels",
            "UseEntitiesDetectionModels",
            "PassDataAccessRoles",
            "UseVolumeKeys",
            "ReadDocumentsWithTextract",
        ]
    )
    # Start for the two types the stack uses; Describe, Stop and the tag actions for every
    # type: a removed job's Delete runs after the policy no longer lists it, and a rollback
    # may find (by its key tag) and re-tag a job of a type the stack no longer uses.
    assert by_sid["RunAndTagJobs"] == {
        "Sid": "RunAndTagJobs",
        "Effect": "Allow",
        "Action": [
            "comprehend:StartDocumentClassificationJob",
            "comprehend:DescribeDocumentClassificationJob",
            "comprehend:DescribeDominantLanguageDetectionJob",
            "comprehend:StopDominantLanguageDetectionJob",
            "comprehend:StartEntitiesDetectionJob",
            "comprehend:DescribeEntitiesDetectionJob",
            "comprehend:StopEntitiesDetectionJob",
            "comprehend:DescribeEventsDetectionJob",
            "comprehend:StopEventsDetectionJob",
            "comprehend:DescribeKeyPhrasesDetectionJob",
            "comprehend:StopKeyPhrasesDetectionJob",
            "comprehend:DescribePiiEntitiesDetectionJob",
            "comprehend:StopPiiEntitiesDetectionJob",
            "comprehend:DescribeSentimentDetectionJob",
            "comprehend:StopSentimentDetectionJob",
            "comprehend:DescribeTargetedSentimentDetectionJob",
            "comprehend:StopTargetedSentimentDetectionJob",
            "comprehend:DescribeTopicsDetectionJob",
            "comprehend:ListTagsForResource",
            "comprehend:TagResource",
            "comprehend:UntagResource",
        ],
        "Resource": [
            job_arn("document-classification-job"),
            job_arn("dominant-language-detection-job"),
            job_arn("entities-detection-job"),
            job_arn("events-detection-job"),
            job_arn("key-phrases-detection-job"),
            job_arn("pii-entities-detection-job"),
            job_arn("sentiment-detection-job"),
            job_arn("targeted-sentiment-detection-job"),
            job_arn("topics-detection-job"),
        ],
    }
    # The handler finds a job by its JobName before starting one: List authorizes no
    # resource type.
    # A Delete reads the stack's own status (a cleanup waits for a job that runs on).
    assert by_sid["ReadOwnStackStatus"] == {
        "Sid": "ReadOwnStackStatus",
        "Effect": "Allow",
        "Action": "cloudformation:DescribeStacks",
        "Resource": {"Ref": "AWS::StackId"},
    }
    assert by_sid["FindJobsByName"] == {
        "Sid": "FindJobsByName",
        "Effect": "Allow",
        "Action": [
            "comprehend:ListDocumentClassificationJobs",
            "comprehend:ListDominantLanguageDetectionJobs",
            "comprehend:ListEntitiesDetectionJobs",
            "comprehend:ListEventsDetectionJobs",
            "comprehend:ListKeyPhrasesDetectionJobs",
            "comprehend:ListPiiEntitiesDetectionJobs",
            "comprehend:ListSentimentDetectionJobs",
            "comprehend:ListTargetedSentimentDetectionJobs",
            "comprehend:ListTopicsDetectionJobs",
        ],
        "Resource": "*",
    }
    assert by_sid["UseEntitiesDetectionModels"]["Resource"] == [
        "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets",
        RECOGNIZER,
    ]
    assert by_sid["UseDocumentClassificationModels"]["Resource"] == [CLASSIFIER]
    secure = _ref_id(template, "AWS::IAM::Role", "SecureRole")
    plain = _ref_id(template, "AWS::IAM::Role", "PlainRole")
    assert by_sid["PassDataAccessRoles"] == {
        "Sid": "PassDataAccessRoles",
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": sorted(
            [{"Fn::GetAtt": [plain, "Arn"]}, {"Fn::GetAtt": [secure, "Arn"]}],
            key=lambda v: json.dumps(v, sort_keys=True),
        ),
        "Condition": {"StringEquals": {"iam:PassedToService": "comprehend.amazonaws.com"}},
    }
    volume_key = _ref_id(template, "AWS::KMS::Key", "EncryptionVolumeKey")
    assert by_sid["UseVolumeKeys"] == {
        "Sid": "UseVolumeKeys",
        "Effect": "Allow",
        "Action": ["kms:CreateGrant", "kms:DescribeKey"],
        "Resource": [{"Fn::GetAtt": [volume_key, "Arn"]}],
    }


def test_job_waits_for_its_role_policy_and_the_caller_policy(seed_flows: dict[str, Any]) -> None:
    template = seed_flows["template"]
    depends = _job(template, "EntitiesSecure")["DependsOn"]
    caller = _ref_id(template, "AWS::IAM::ManagedPolicy", "ComprehendJobsHandlerCallerPolicy")
    assert caller in depends
    role_policies = [
        lid
        for lid, r in template["Resources"].items()
        if r["Type"] == "AWS::IAM::ManagedPolicy" and lid.startswith("SecureRole")
    ]
    assert role_policies and set(role_policies) <= set(depends)


def test_trust_policy_lets_every_job_type_assume_the_role(seed_flows: dict[str, Any]) -> None:
    """Not only the two types the flows use: the trust must not narrow under a job that
    still runs after the template stopped naming its type (data_access_role)."""
    template = seed_flows["template"]
    role = template["Resources"][_ref_id(template, "AWS::IAM::Role", "SecureRole")]
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    arns = statement["Condition"]["ArnLike"]["aws:SourceArn"]
    assert [a["Fn::Join"][1][-1] for a in arns] == sorted(
        f":{t.arn_resource}/*" for t in JOB_TYPES.values()
    )


def test_attributes_read_the_custom_resource() -> None:
    app = new_app()
    stack = Stack(app, "Attributes")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    waiting = EntityRecognitionJob(
        stack,
        "Waits",
        recognizer_arn=RECOGNIZER,
        storage=storage,
        role=role,
        wait_for_completion=True,
    )
    quick = EntityRecognitionJob(
        stack, "Quick", recognizer_arn=RECOGNIZER, storage=storage, role=role
    )
    logical_id = stack.get_logical_id(waiting.resource.node.default_child)  # type: ignore[arg-type]
    assert stack.resolve(waiting.job_id) == {"Fn::GetAtt": [logical_id, "JobId"]}
    assert stack.resolve(waiting.job_arn) == {"Fn::GetAtt": [logical_id, "JobArn"]}
    assert stack.resolve(waiting.job_status_at_deploy) == {"Fn::GetAtt": [logical_id, "JobStatus"]}
    assert stack.resolve(waiting.output_s3_uri) == {"Fn::GetAtt": [logical_id, "OutputS3Uri"]}
    # Typed str: a job the deployment does not wait for has none, and says where to look.
    with pytest.raises(AttributeError) as raised:
        _ = quick.output_s3_uri
    assert str(raised.value) == (
        "EntityRecognitionJob at 'Attributes/Quick' has no output_s3_uri: the deployment "
        "does not wait for this job (wait_for_completion=False), and Comprehend names the "
        "job's output folder only once it runs. Fix: pass wait_for_completion=True, or read "
        "the location the job writes under from the storage (job.storage.output_s3_uri)."
    )
    assert not hasattr(quick, "output_s3_uri")
    template = Template.from_stack(stack).to_json()
    tokens = {json.dumps(r["Properties"]["ServiceToken"]) for r in _jobs_by_path(template).values()}
    # A waiting and a non-waiting job: one provider (see tests/test_service_token.py).
    assert len(tokens) == 1
    assert (
        len(
            [
                r
                for r in template["Resources"].values()
                if r["Type"] == "AWS::StepFunctions::StateMachine"
            ]
        )
        == 1
    )


def _count_resources(jobs: int) -> int:
    app = new_app()
    stack = Stack(app, "Count")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    for i in range(jobs):
        TopicsDetectionJob(stack, f"Job{i}", storage=storage, role=role)
    return len(Template.from_stack(stack).to_json()["Resources"])


def test_each_extra_job_adds_exactly_one_resource() -> None:
    assert _count_resources(6) - _count_resources(1) == 5


def test_hundred_jobs_with_a_model_each_fit_the_policy_limits() -> None:
    app = new_app()
    stack = Stack(app, "Hundred")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    for i in range(100):
        EntityRecognitionJob(
            stack,
            f"Job{i}",
            recognizer_arn=f"{RECOGNIZER.split('/version/')[0]}-{i}/version/v1",
            storage=storage,
            role=role,
        )
    template = Template.from_stack(stack).to_json()
    policies = {
        lid: r
        for lid, r in template["Resources"].items()
        if lid.startswith("ComprehendJobsHandlerCallerPolicy")
    }
    assert len(policies) > 1
    models: list[str] = []
    for policy in policies.values():
        document = policy["Properties"]["PolicyDocument"]
        assert len(json.dumps(document, separators=(",", ":"))) < 6_144
        for statement in document["Statement"]:
            if statement["Sid"] == "UseEntitiesDetectionModels":
                models += statement["Resource"]
    # Each versioned model is granted as given and unversioned, once, somewhere.
    assert len(models) == len(set(models)) == 200
    for job in _jobs_by_path(template).values():
        assert set(policies) <= set(job["DependsOn"])


# -- job types closed to new customers ---------------------------------------------------


def _closed_type_warnings(stack: Stack) -> dict[str, str]:
    """The ``comprehend-jobs:closed-job-type`` warnings, by construct path."""
    found = Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("comprehend-jobs:closed-job-type")
    )
    return {w.id: str(w.entry.data) for w in found}


def test_topics_and_events_jobs_warn_that_they_are_closed_to_new_customers() -> None:
    stack = Stack(new_app(), "Closed")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    TopicsDetectionJob(stack, "Topics", storage=storage, role=role)
    EventsDetectionJob(
        stack, "Events", target_event_types=["BANKRUPTCY"], storage=storage, role=role
    )
    KeyPhrasesDetectionJob(stack, "KeyPhrases", storage=storage, role=role)
    warnings = _closed_type_warnings(stack)
    assert sorted(warnings) == ["/Closed/Events", "/Closed/Topics"]
    for path, operation in (
        ("/Closed/Topics", "StartTopicsDetectionJob"),
        ("/Closed/Events", "StartEventsDetectionJob"),
    ):
        assert warnings[path].startswith(
            f"{operation} is closed to new customers since 30 April 2026: only accounts that "
            "used it in the previous 12 months can start it"
        )


def test_the_job_type_table_flag_drives_the_closed_type_warning() -> None:
    stack = Stack(new_app(), "Flag")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)

    class ClosedKeyPhrasesJob(KeyPhrasesDetectionJob):
        job_type = dataclasses.replace(KEY_PHRASES_DETECTION, closed_to_new_customers=True)

    ClosedKeyPhrasesJob(stack, "Closed", storage=storage, role=role)
    KeyPhrasesDetectionJob(stack, "Open", storage=storage, role=role)
    assert list(_closed_type_warnings(stack)) == ["/Flag/Closed"]
    assert {t.stem for t in JOB_TYPES.values() if t.closed_to_new_customers} == {
        "EventsDetection",
        "TopicsDetection",
    }


@pytest.mark.parametrize(
    ("context", "started"),
    [
        ({}, 7),
        ({"closed_job_types": False}, 7),
        ({"closed_job_types": "false"}, 7),
        ({"closed_job_types": True}, 9),
        ({"closed_job_types": "true"}, 9),
    ],
)
def test_all_job_types_example_starts_topics_and_events_only_when_told(
    context: dict[str, Any], started: int
) -> None:
    from examples import all_job_types
    from examples.stacks import EXAMPLE_CONTEXT

    stack = Stack(new_app(), "AllJobTypes")
    for key, value in context.items():
        stack.node.set_context(key, value)
    all_job_types.build(stack)
    template = Template.from_stack(stack).to_json()
    stems = sorted(r["Properties"]["JobType"] for r in _jobs_by_path(template).values())
    assert len(stems) == started
    assert ("TopicsDetection" in stems) is (started == 9)
    assert ("EventsDetection" in stems) is (started == 9)
    # The context is the account owner's word: the example acknowledges the warning.
    assert _closed_type_warnings(stack) == {}
    # The compliance suites synthesize the example with all nine.
    assert EXAMPLE_CONTEXT["all_job_types"] == {"closed_job_types": True}


# -- the public signatures: user props only ------------------------------------------------

PLUMBING = {"job_type", "model_source", "type_fields", "problems", "model_prop"}


@pytest.mark.parametrize("cls", [AnalysisJob, *JOB_CLASSES], ids=lambda c: c.__name__)
def test_job_classes_show_only_user_props(cls: type[AnalysisJob]) -> None:
    parameters = inspect.signature(cls.__init__).parameters
    assert PLUMBING.isdisjoint(parameters)
    # The common props arrive as **props: Unpack[JobProps].
    assert str(parameters["props"].annotation) == "Unpack[JobProps]"


def test_a_subclass_that_sets_a_job_type_starts_it_with_the_common_props() -> None:
    stack = Stack(new_app(), "Own")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)

    class LanguageJob(AnalysisJob):
        job_type = JOB_TYPES["DominantLanguageDetection"]

    job = LanguageJob(stack, "Languages", storage=storage, role=role)
    assert isinstance(job, AnalysisJob)
    (resource,) = _jobs_by_path(Template.from_stack(stack).to_json()).values()
    assert resource["Properties"]["JobType"] == "DominantLanguageDetection"


def test_analysis_job_itself_names_the_classes_to_use() -> None:
    stack = Stack(new_app(), "Base")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    with pytest.raises(TypeError, match="AnalysisJob sets no job_type: AnalysisJob is the base"):
        AnalysisJob(stack, "Job", storage=storage, role=role)


def test_every_job_of_the_example_is_an_analysis_job() -> None:
    from examples import all_job_types

    stack = Stack(new_app(), "Every")
    stack.node.set_context("closed_job_types", True)
    all_job_types.build(stack)
    jobs = [c for c in stack.node.find_all() if isinstance(c, AnalysisJob)]
    assert sorted(type(j).__name__ for j in jobs) == sorted(c.__name__ for c in JOB_CLASSES)


# -- storage and role are required props -----------------------------------------------------


@pytest.mark.parametrize("cls", JOB_CLASSES, ids=lambda c: c.__name__)
def test_storage_and_role_left_out_are_prop_errors_not_type_errors(
    cls: type[AnalysisJob],
) -> None:
    stack = Stack(new_app(), "Missing")
    model_props: dict[type[AnalysisJob], dict[str, Any]] = {
        EntityRecognitionJob: {"recognizer_arn": RECOGNIZER},
        DocumentClassificationJob: {"classifier_arn": CLASSIFIER},
        EventsDetectionJob: {"target_event_types": ["BANKRUPTCY"]},
    }
    extra = model_props.get(cls, {})
    with pytest.raises(PropValidationError) as raised:
        cls(stack, "Job", **extra)
    assert raised.value.problems == [
        "storage=None is not valid: an IJobStorage (required). Fix: pass "
        "storage=JobStorage(...) (buckets it makes, with input_documents=) or "
        "storage=JobStorage.from_s3_uris(...) (where your documents are)",
        "role=None is not valid: an IDataAccessRole (required). Fix: pass "
        "role=DataAccessRole(...) or role=DataAccessRole.from_role_arn(...)",
    ]
    assert stack.node.children == []


# -- no doomed job: documents go with a created input bucket ----------------------------------

DOOMED = (
    "storage=<a JobStorage at 'Doomed/Storage'> is not valid: its input location is a "
    "bucket this library creates in this deployment and leaves empty, so the job would "
    "start on no documents and end with no results (documents put there later are never "
    "analysed). Fix: give the storage the documents to upload before the job starts: "
    "JobStorage(..., input_documents='path/to/folder') or "
    "storage.add_input_documents('path/to/folder'); or, for documents already in S3, use "
    "JobStorage.from_s3_uris(scope, 'Storage', input_s3_uri='s3://your-bucket/your/prefix/')"
)


def test_a_job_on_a_created_empty_input_bucket_fails_synth_naming_storage() -> None:
    stack = Stack(new_app(), "Doomed")
    storage = JobStorage(stack, "Storage")
    role = DataAccessRole(stack, "Role", storage=storage)
    KeyPhrasesDetectionJob(stack, "Phrases", storage=storage, role=role)
    SentimentDetectionJob(stack, "Sentiment", storage=storage, role=role)
    with pytest.raises(RuntimeError) as raised:
        Template.from_stack(stack)
    # One error per storage, on its first job, naming the others.
    lines = [line.strip() for line in str(raised.value).splitlines() if "Doomed/" in line]
    assert lines == [
        "[Doomed/Phrases] KeyPhrasesDetectionJob Doomed/Phrases (also the storage of "
        f"Doomed/Sentiment): {DOOMED}"
    ]


def test_documents_added_after_the_job_count_and_the_job_waits_for_them() -> None:
    stack = Stack(new_app(), "Later")
    storage = JobStorage(stack, "Storage")
    role = DataAccessRole(stack, "Role", storage=storage)
    EntityRecognitionJob(
        stack, "Tickets", recognizer_arn=RECOGNIZER, storage=storage, role=role, rerun_token="3"
    )
    upload = storage.add_input_documents(SAMPLES)
    assert storage.input_upload is upload
    template = Template.from_stack(stack).to_json()
    (upload_id,) = [
        lid
        for lid, r in template["Resources"].items()
        if r["Type"] == "Custom::CDKBucketDeployment"
    ]
    job = _job(template, "Tickets")
    assert upload_id in job["DependsOn"]
    # The given token and the documents' object keys (content hashes): a new or changed
    # document changes it, and a changed RerunToken starts a new job.
    assert job["Properties"]["RerunToken"] == {
        "Fn::Join": [
            "|",
            ["3", {"Fn::Join": [",", {"Fn::GetAtt": [upload_id, "SourceObjectKeys"]}]}],
        ]
    }
    upload_properties = template["Resources"][upload_id]["Properties"]
    assert upload_properties["DestinationBucketKeyPrefix"] == "input/"
    # Nothing else under the prefix is touched, and nothing is deleted with the stack.
    assert upload_properties["Prune"] is False
    assert upload_properties["RetainOnDelete"] is True


def test_a_job_on_brought_documents_has_no_upload_and_no_rerun_token() -> None:
    stack = Stack(new_app(), "Brought")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    KeyPhrasesDetectionJob(stack, "Phrases", storage=storage, role=role)
    template = Template.from_stack(stack).to_json()
    assert "RerunToken" not in _job(template, "Phrases")["Properties"]
    assert not [r for r in template["Resources"].values() if r["Type"].startswith("Custom::CDK")]


# -- tags: the handler's key tag takes one of Comprehend's 50 ------------------------------


def test_forty_nine_tags_synthesize_and_fifty_are_a_prop_error_naming_tags() -> None:
    from comprehend_jobs._lambda import request_builder

    # The handler refuses a request with more (it adds its key tag to every job, and
    # Comprehend allows 50 per job): synth must refuse the same, not the deployment.
    assert request_builder.MAX_REQUEST_TAGS == 49
    stack = Stack(new_app(), "Tags")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    tags = {f"k{i}": "v" for i in range(50)}
    with pytest.raises(PropValidationError) as raised:
        KeyPhrasesDetectionJob(stack, "Fifty", storage=storage, role=role, tags=tags)
    assert raised.value.problems == [
        "tags='50 tags' is not valid: at most 49 tags per job. Fix: drop some tags"
    ]
    del tags["k49"]
    KeyPhrasesDetectionJob(stack, "FortyNine", storage=storage, role=role, tags=tags)
    sent = _job(Template.from_stack(stack).to_json(), "FortyNine")["Properties"]["Request"]
    assert len(sent["Tags"]) == 49
