"""The deploy rehearsal: every stack the repository makes would deploy and run.

For each stack (the example app's two, every README example, and the compositions below)
the template is resolved as CloudFormation would resolve it, every call the deployed
system makes is evaluated against the resolved policies by an IAM simulator, every job
subnet must route to S3, and parliament lints every policy document. The mutation tests
prove each family of checks can fail: each drops one statement, route or condition that a
call needs and expects that call's failure by name.
"""

from __future__ import annotations

import copy
import functools
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from examples.stacks import EXAMPLES, stack_name, synthesized
from nag_support import new_app
from rehearsal.calls import CallLister
from rehearsal.lint import lint, policies_of, stale_suppressions
from rehearsal.rehearse import (
    DENIED,
    RETAINED_BROKEN,
    UNROUTABLE,
    Outcome,
    problems,
    rehearse,
    rehearse_update,
)
from rehearsal.stacks import SynthesizedStack, from_assembly
from rehearsal.template import ACCOUNT, REGION, DeployedTemplate

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    DocumentClassificationJob,
    DocumentReadAction,
    DocumentReader,
    EntityRecognitionJob,
    InputFormat,
    JobEncryption,
    JobHandler,
    JobNetwork,
    JobStorage,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
RECOGNIZER = "arn:aws:comprehend:us-east-1:111111111111:entity-recognizer/claims/version/v1"
CLASSIFIER = "arn:aws:comprehend:us-east-1:111111111111:document-classifier/mail/version/v1"


# -- compositions of our own -----------------------------------------------------------


def _parts(stack: Stack, network: JobNetwork | None) -> dict[str, Any]:
    encryption = JobEncryption(stack, "Keys")
    # New buckets: the documents go with them (a job on an empty one fails synth).
    storage = JobStorage(
        stack,
        "Storage",
        encryption=encryption,
        input_documents=str(ROOT / "samples" / "entity-recognition"),
    )
    role = DataAccessRole(
        stack, "DataAccessRole", storage=storage, encryption=encryption, network=network
    )
    return {"storage": storage, "role": role, "encryption": encryption, "network": network}


def brought_vpc(stack: Stack) -> None:
    """A job that waits, in an isolated VPC of the same app that has no S3 endpoint."""
    vpc = ec2.Vpc(
        stack,
        "PlatformVpc",
        nat_gateways=0,
        max_azs=2,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Private", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
    )
    network = JobNetwork(stack, "Network", existing_vpc=vpc)
    EntityRecognitionJob(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER,
        wait_for_completion=True,
        **_parts(stack, network),
    )


def imported_vpc(stack: Stack) -> None:
    """A job in an imported VPC, routes left to the library's judgment (a warning)."""
    vpc = ec2.Vpc.from_vpc_attributes(
        stack,
        "SharedVpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a"],
        isolated_subnet_ids=["subnet-0123456789abcdef0"],
        isolated_subnet_route_table_ids=["rtb-0123456789abcdef0"],
    )
    network = JobNetwork(stack, "Network", existing_vpc=vpc)
    EntityRecognitionJob(stack, "Claims", recognizer_arn=RECOGNIZER, **_parts(stack, network))


def brought_log_key(stack: Stack) -> None:
    """The pattern with the platform team's log key (its policy lets CloudWatch Logs in)."""
    key = kms.Key(stack, "PlatformLogKey", enable_key_rotation=True)
    key.add_to_resource_policy(JobHandler.log_key_statement(stack))
    ComprehendAnalysis(
        stack,
        "Tickets",
        recognizer_arn=RECOGNIZER,
        log_key=key,
        wait_for_completion=True,
        input_documents=str(ROOT / "samples" / "entity-recognition"),
    )


#: The platform team's data lake: an existing bucket whose default encryption is this key.
LAKE_BUCKET = "claims-lake"
LAKE_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
#: A job volume key of the platform team's, in this account.
PLATFORM_VOLUME_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0f0e0d0c-0b0a-0908-0706-050403020100"


def brought_bucket_upload(stack: Stack) -> None:
    """Documents uploaded into an existing SSE-KMS bucket given by URI, its key given as
    ``input_bucket_key`` (the bucket object, imported by name, carries no key)."""
    storage = JobStorage.from_s3_uris(
        stack,
        "Storage",
        input_s3_uri=f"s3://{LAKE_BUCKET}/incoming/",
        input_bucket_key=LAKE_KEY,
        input_documents=str(ROOT / "samples" / "entity-recognition"),
    )
    role = DataAccessRole(stack, "DataAccessRole", storage=storage)
    EntityRecognitionJob(stack, "Claims", recognizer_arn=RECOGNIZER, storage=storage, role=role)


def documents_only(stack: Stack) -> None:
    """Input documents uploaded by a stack with no job (its jobs come on day 2, or live in
    another stack): the handler gives it only the log key for the upload's logs."""
    JobStorage(stack, "Storage", input_documents=str(ROOT / "samples" / "classification"))


def mixed_providers(stack: Stack) -> None:
    """Waiting and non-waiting jobs, tags and a document reader, in one stack."""
    parts = _parts(stack, None)
    EntityRecognitionJob(stack, "Entities", recognizer_arn=RECOGNIZER, tags={"team": "a"}, **parts)
    DocumentClassificationJob(
        stack,
        "Mail",
        classifier_arn=CLASSIFIER,
        input_format=InputFormat.ONE_DOC_PER_FILE,
        document_reader=DocumentReader(
            read_action=DocumentReadAction.TEXTRACT_DETECT_DOCUMENT_TEXT
        ),
        wait_for_completion=True,
        **parts,
    )


def two_types(stack: Stack) -> None:
    """Day 1 of the update scenario: an entity recognition and a classification job."""
    parts = _parts(stack, None)
    EntityRecognitionJob(stack, "Entities", recognizer_arn=RECOGNIZER, **parts)
    DocumentClassificationJob(stack, "Mail", classifier_arn=CLASSIFIER, **parts)


def one_type(stack: Stack) -> None:
    """Day 2: the classification job is removed (its Delete runs in the cleanup phase)."""
    parts = _parts(stack, None)
    EntityRecognitionJob(stack, "Entities", recognizer_arn=RECOGNIZER, **parts)


def shared_role(stack: Stack) -> None:
    """Issue 21: one DataAccessRole of the user's, shared by two analyses (documents in an
    SSE-KMS lake given by URI with its key as a prop, brought job keys; and storage and
    keys the pattern makes, documents uploaded), beside a BucketDeployment of the user's
    own made before the analyses and one after, and a log key of the app's own that the
    library lets CloudWatch Logs use."""
    log_key = kms.Key(stack, "PlatformLogKey", enable_key_rotation=True)
    site = s3.Bucket(stack, "Site", enforce_ssl=True)
    site_documents = [s3deploy.Source.asset(str(ROOT / "samples" / "classification"))]
    s3deploy.BucketDeployment(stack, "SiteBefore", sources=site_documents, destination_bucket=site)
    network = JobNetwork(stack, "Network")
    role = DataAccessRole(stack, "SharedRole", network=network)
    ComprehendAnalysis(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER,
        input_s3_uri=f"s3://{LAKE_BUCKET}/claims/",
        input_bucket_key=LAKE_KEY,
        volume_key=PLATFORM_VOLUME_KEY,
        output_key="alias/claims-results",
        network=network,
        role=role,
        log_key=log_key,
    )
    ComprehendAnalysis(
        stack,
        "Mail",
        classifier_arn=CLASSIFIER,
        input_documents=str(ROOT / "samples" / "classification"),
        network=network,
        role=role,
        log_key=log_key,
        wait_for_completion=True,
    )
    s3deploy.BucketDeployment(stack, "SiteAfter", sources=site_documents, destination_bucket=site)


def two_uploads(stack: Stack) -> None:
    """Issue 21: two analyses and a JobStorage uploading documents in one stack."""
    documents = str(ROOT / "samples" / "entity-recognition")
    ComprehendAnalysis(
        stack, "Claims", recognizer_arn=RECOGNIZER, input_documents=documents, network=False
    )
    ComprehendAnalysis(
        stack, "Mail", classifier_arn=CLASSIFIER, input_documents=documents, network=False
    )
    JobStorage(stack, "Later", input_documents=str(ROOT / "samples" / "classification"))


COMPOSITIONS: dict[str, Callable[[Stack], None]] = {
    "RehearsalBroughtVpc": brought_vpc,
    "RehearsalImportedVpc": imported_vpc,
    "RehearsalBroughtLogKey": brought_log_key,
    "RehearsalBroughtBucketUpload": brought_bucket_upload,
    "RehearsalDocumentsOnly": documents_only,
    "RehearsalMixedProviders": mixed_providers,
    "RehearsalUpdateBefore": two_types,
    "RehearsalSharedRole": shared_role,
    "RehearsalTwoUploads": two_uploads,
}


def _synth(builders: dict[str, Callable[[Stack], None]]) -> dict[str, SynthesizedStack]:
    outdir = Path(tempfile.mkdtemp(prefix="rehearsal-"))
    app: App = new_app(outdir=str(outdir))
    stacks = []
    for name, build in builders.items():
        stack = Stack(app, name)
        build(stack)
        stacks.append(stack)
    app.synth()
    return from_assembly(outdir, stacks)


@functools.cache
def every_stack() -> dict[str, SynthesizedStack]:
    """The repository's stacks (shared with the compliance suite) and the compositions."""
    synth = synthesized()
    repository = [c for c in synth.app.node.children if isinstance(c, Stack)]
    stacks = from_assembly(synth.outdir, [s for s in repository if s.stack_name in synth.templates])
    return {**stacks, **_synth(COMPOSITIONS)}


@functools.cache
def after_update() -> DeployedTemplate:
    """Day 2 of the update scenario, synthesized once."""
    return _synth({"RehearsalUpdateBefore": one_type})["RehearsalUpdateBefore"].deployed


#: Imported subnets whose route to S3 a stack's author vouches for: the README example
#: passes ``s3_gateway_endpoint=False`` because its network team's route tables have one.
ASSUMED_ROUTES: dict[str, tuple[str, ...]] = {
    "ExampleBringYourOwn": ("subnet-0a1b2c3d4e5f67890", "subnet-0f9e8d7c6b5a43210"),
}


#: The default encryption of buckets a stack brings, as their owner set it (the rehearsal
#: cannot read it from the template, as the library cannot read it from the bucket name).
ASSUMED_BUCKET_KEYS: dict[str, dict[str, str]] = {
    "RehearsalBroughtBucketUpload": {LAKE_BUCKET: LAKE_KEY},
    "RehearsalSharedRole": {LAKE_BUCKET: LAKE_KEY},
}


def _rehearse(name: str, stack: SynthesizedStack, deployed: DeployedTemplate) -> list[Outcome]:
    return rehearse(
        deployed,
        stack.warnings,
        ASSUMED_ROUTES.get(name, ()),
        ASSUMED_BUCKET_KEYS.get(name),
    )


@functools.cache
def rehearsals() -> dict[str, list[Outcome]]:
    """Every stack's rehearsal outcomes, by stack name."""
    return {name: _rehearse(name, stack, stack.deployed) for name, stack in every_stack().items()}


# -- the rehearsal on every stack ------------------------------------------------------


def test_every_stack_the_repository_makes_is_rehearsed() -> None:
    assert set(synthesized().templates) | set(COMPOSITIONS) == set(EVERY_STACK)
    assert set(rehearsals()) == set(EVERY_STACK)


#: The example app's stacks (``app.py``).
APP_STACKS = ("ComprehendEntityRecognition", "ComprehendClassification")
EVERY_STACK = sorted({*APP_STACKS, *(stack_name(e) for e in EXAMPLES), *COMPOSITIONS})


@pytest.mark.parametrize("name", EVERY_STACK)
def test_every_call_is_allowed_and_routed(name: str) -> None:
    found = problems(rehearsals()[name])
    assert found == [], "\n" + "\n".join(str(o) for o in found)


def test_the_rehearsal_covers_every_call_family() -> None:
    families = {o.family for outcomes in rehearsals().values() for o in outcomes}
    assert families >= {
        "framework",
        "logs",
        "handler",
        "comprehend",
        "upload",
        "network",
        "teardown",
    }


def test_documents_reach_a_brought_sse_kms_bucket() -> None:
    # The upload writes into the lake through S3 with the lake's key, and the job reads
    # them back with it: the key's policy is the platform team's (external), the grants ours.
    outcomes = rehearsals()["RehearsalBroughtBucketUpload"]
    upload = {
        o.subject.split(" on ")[0].rsplit(": ", 1)[-1]: o for o in outcomes if o.family == "upload"
    }
    assert set(upload) >= {
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
        "kms:GenerateDataKey",
        "kms:Decrypt",
    }
    assert "s3:DeleteObject" not in upload, "prune is off: the user's data is never deleted"
    key_calls = [
        o for o in outcomes if LAKE_KEY in o.subject and o.family in ("upload", "comprehend")
    ]
    assert {o.family for o in key_calls} == {"upload", "comprehend"}
    assert all(o.verdict == "external" for o in key_calls), key_calls


@pytest.mark.parametrize("name", ["RehearsalBroughtBucketUpload", "ExampleEntitiesOneLine"])
def test_each_upload_names_its_buckets_key(name: str) -> None:
    # Issue 22.1: the upload states the input bucket's key (SystemMetadata), so a new key
    # updates the upload, which puts the documents again under it; the key the upload
    # names is the one its role is granted (the rehearsal above allows those calls).
    lister = CallLister(every_stack()[name].deployed, ASSUMED_BUCKET_KEYS.get(name))
    puts = [c for c in lister.upload() if c.action == "s3:PutObject"]
    assert puts
    for put in puts:
        dest = put.resource.split(":::", 1)[1].split("/", 1)[0]
        assert put.context["s3:x-amz-server-side-encryption"] == "aws:kms"
        assert put.context["s3:x-amz-server-side-encryption-aws-kms-key-id"] == (
            lister.bucket_key(dest)
        )


def test_a_waiting_job_may_start_its_waiter() -> None:
    # The bug this rehearsal was built to catch: the framework's onEvent role must be
    # allowed states:StartExecution on the waiter, or every waiting job fails to deploy.
    outcomes = rehearsals()["ExampleWaitingJob"]
    started = [o for o in outcomes if "states:StartExecution" in o.subject]
    assert started and all(o.verdict == "allowed" for o in started)


def test_a_brought_vpc_routes_its_jobs_to_s3() -> None:
    outcomes = rehearsals()["RehearsalBroughtVpc"]
    routes = [o for o in outcomes if o.family == "network" and "-> S3" in o.subject]
    assert len(routes) >= 3 and all(o.verdict == "allowed" for o in routes), routes


def test_an_imported_vpc_is_warned_about() -> None:
    warnings = every_stack()["RehearsalImportedVpc"].warnings
    assert any("subnet-0123456789abcdef0" in w for w in warnings)
    outcomes = rehearsals()["RehearsalImportedVpc"]
    imported = [o for o in outcomes if o.family == "network" and "subnet" in o.subject]
    assert imported and all(o.verdict == "external" for o in imported), imported


def test_removing_the_last_job_of_a_type_can_still_stop_it() -> None:
    before = every_stack()["RehearsalUpdateBefore"].deployed
    after = after_update()
    outcomes = rehearse_update(before, after)
    assert outcomes, "the removed job's Delete makes calls"
    assert problems(outcomes) == [], "\n".join(str(o) for o in problems(outcomes))


# -- parliament ------------------------------------------------------------------------


def test_parliament_finds_nothing_of_medium_severity_or_worse() -> None:
    documents = [p for stack in every_stack().values() for p in policies_of(stack.deployed)]
    assert len(documents) > 100
    findings = lint(documents)
    assert findings == [], "\n" + "\n".join(str(f) for f in findings)
    # Each false positive we suppress is still produced by some stack: none is stale.
    stale = stale_suppressions(documents)
    assert stale == [], "delete these suppressions:\n" + "\n".join(s.reason for s in stale)


# -- mutations: each family of checks can fail -------------------------------------------


def _mutated(name: str, mutate: Callable[[dict[str, Any]], None]) -> list[Outcome]:
    stack = every_stack()[name]
    template = copy.deepcopy(dict(stack.deployed.template))
    mutate(template["Resources"])
    deployed = DeployedTemplate(stack.deployed.stack_name, template, stack.deployed.env)
    return problems(_rehearse(name, stack, deployed))


def _statements(resources: dict[str, Any]) -> list[tuple[dict[str, Any], list[Any]]]:
    """(statement, the list holding it) for every identity policy statement."""
    out = []
    for resource in resources.values():
        if resource["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            statements = resource["Properties"]["PolicyDocument"]["Statement"]
            out += [(s, statements) for s in statements]
    return out


def _drop_action(action: str, on: str | None = None) -> Callable[[dict[str, Any]], None]:
    """Drop ``action`` from every identity statement that grants it (only those that
    name ``on`` among their resources, when given)."""

    def mutate(resources: dict[str, Any]) -> None:
        dropped = 0
        for statement, holder in _statements(resources):
            targets = statement.get("Resource")
            if on is not None and on not in (targets if isinstance(targets, list) else [targets]):
                continue
            actions = (
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            )
            if action in actions:
                remaining = [a for a in actions if a != action]
                if remaining:
                    statement["Action"] = remaining
                else:
                    holder.remove(statement)
                dropped += 1
        assert dropped, f"no statement grants {action}" + (f" on {on}" if on else "")

    return mutate


def _of_type(resources: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in resources.values() if r["Type"] == kind]


def _drop_logs_from_key_policies(resources: dict[str, Any]) -> None:
    for key in _of_type(resources, "AWS::KMS::Key"):
        statements = key["Properties"]["KeyPolicy"]["Statement"]
        statements[:] = [s for s in statements if "Service" not in s.get("Principal", {})]


def _narrow_trust(resources: dict[str, Any]) -> None:
    for role in _of_type(resources, "AWS::IAM::Role"):
        for statement in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            arn_like = statement.get("Condition", {}).get("ArnLike", {})
            if "aws:SourceArn" in arn_like and "comprehend" in json.dumps(statement["Principal"]):
                arn_like["aws:SourceArn"] = "arn:aws:comprehend:us-east-1:111111111111:flywheel/*"


def _drop_endpoint_routes(resources: dict[str, Any]) -> None:
    for endpoint in _of_type(resources, "AWS::EC2::VPCEndpoint"):
        endpoint["Properties"]["RouteTableIds"] = []


def _drop_https_egress(resources: dict[str, Any]) -> None:
    for group in _of_type(resources, "AWS::EC2::SecurityGroup"):
        egress = group["Properties"].get("SecurityGroupEgress")
        if egress:
            group["Properties"]["SecurityGroupEgress"] = [
                r for r in egress if r.get("FromPort") != 443
            ] or [
                {
                    "CidrIp": "255.255.255.255/32",
                    "IpProtocol": "icmp",
                    "FromPort": 252,
                    "ToPort": 86,
                }
            ]


def _delete_log_keys(resources: dict[str, Any]) -> None:
    for key in _of_type(resources, "AWS::KMS::Key"):
        key["DeletionPolicy"] = key["UpdateReplacePolicy"] = "Delete"


def _misroute_jobs(resources: dict[str, Any]) -> None:
    for job in _of_type(resources, "Custom::ComprehendAnalysisJob"):
        job["Properties"]["ServiceToken"] = "arn:aws:lambda:us-east-1:111111111111:function:gone"


MUTATIONS: list[tuple[str, str, Callable[[dict[str, Any]], None], str, str]] = [
    # (id, stack, mutation, expected verdict, a text the failing outcome names)
    (
        "framework-start-waiter",
        "ExampleWaitingJob",
        _drop_action("states:StartExecution"),
        DENIED,
        "states:StartExecution",
    ),
    (
        "framework-invoke",
        "ExampleWaitingJob",
        _drop_action("lambda:InvokeFunction"),
        DENIED,
        "lambda:InvokeFunction",
    ),
    ("framework-route", "ExampleEntitiesOneLine", _misroute_jobs, UNROUTABLE, "ServiceToken"),
    (
        "logs-key-policy",
        "ExampleEntitiesOneLine",
        _drop_logs_from_key_policies,
        DENIED,
        "CloudWatch Logs",
    ),
    (
        "logs-write",
        "ExampleEntitiesOneLine",
        _drop_action("logs:PutLogEvents"),
        DENIED,
        "logs:PutLogEvents",
    ),
    (
        "handler-pass-role",
        "ExampleEntitiesOneLine",
        _drop_action("iam:PassRole"),
        DENIED,
        "iam:PassRole",
    ),
    (
        "handler-cleanup-wait",
        "ExampleClassification",
        _drop_action("cloudformation:DescribeStacks"),
        DENIED,
        "cloudformation:DescribeStacks",
    ),
    (
        "handler-tag",
        "ExampleClassification",
        _drop_action("comprehend:TagResource"),
        DENIED,
        "comprehend:TagResource",
    ),
    (
        "handler-find-job",
        "ExampleEntitiesOneLine",
        _drop_action("comprehend:ListEntitiesDetectionJobs"),
        DENIED,
        "comprehend:ListEntitiesDetectionJobs",
    ),
    (
        "handler-read-key-tag",
        "ExampleEntitiesOneLine",
        _drop_action("comprehend:ListTagsForResource"),
        DENIED,
        "comprehend:ListTagsForResource",
    ),
    (
        "handler-untag",
        "ExampleEntitiesOneLine",
        _drop_action("comprehend:UntagResource"),
        DENIED,
        "comprehend:UntagResource",
    ),
    (
        "handler-volume-key",
        "ExampleEntitiesOneLine",
        _drop_action("kms:DescribeKey"),
        DENIED,
        "kms:DescribeKey",
    ),
    ("comprehend-trust", "ExampleEntitiesOneLine", _narrow_trust, DENIED, "sts:AssumeRole"),
    (
        "comprehend-read",
        "ExampleEntitiesOneLine",
        _drop_action("s3:GetObject"),
        DENIED,
        "s3:GetObject",
    ),
    (
        "comprehend-write",
        "ExampleEntitiesOneLine",
        _drop_action("s3:PutObject"),
        DENIED,
        "s3:PutObject",
    ),
    (
        "comprehend-volume-grant",
        "ExampleEntitiesOneLine",
        _drop_action("kms:CreateGrant"),
        DENIED,
        "kms:CreateGrant",
    ),
    (
        "comprehend-vpc",
        "ExampleEntitiesOneLine",
        _drop_action("ec2:DescribeSubnets"),
        DENIED,
        "ec2:DescribeSubnets",
    ),
    (
        "comprehend-textract",
        "ExampleClassification",
        _drop_action("textract:AnalyzeDocument"),
        DENIED,
        "textract:AnalyzeDocument",
    ),
    (
        "upload-write",
        "ExampleEntitiesOneLine",
        _drop_action("s3:PutObject"),
        DENIED,
        "[upload]",
    ),
    (
        "upload-brought-bucket-key",
        "RehearsalBroughtBucketUpload",
        _drop_action("kms:GenerateDataKey", on=LAKE_KEY),
        DENIED,
        "kms:GenerateDataKey on " + LAKE_KEY,
    ),
    ("network-route", "ExampleEntitiesOneLine", _drop_endpoint_routes, UNROUTABLE, "-> S3"),
    ("network-egress", "ExampleEntitiesOneLine", _drop_https_egress, UNROUTABLE, "443"),
    (
        "teardown-log-key",
        "ExampleEntitiesOneLine",
        _delete_log_keys,
        RETAINED_BROKEN,
        "retained log group",
    ),
]


@pytest.mark.parametrize(
    ("stack", "mutate", "verdict", "names"),
    [pytest.param(*m[1:], id=m[0]) for m in MUTATIONS],
)
def test_each_check_fails_when_what_it_needs_is_taken_away(
    stack: str, mutate: Callable[[dict[str, Any]], None], verdict: str, names: str
) -> None:
    assert problems(rehearsals()[stack]) == []
    found = _mutated(stack, mutate)
    assert any(o.verdict == verdict and names in str(o) for o in found), "\n".join(
        str(o) for o in found
    )


@pytest.mark.parametrize(
    "action",
    [
        # The removed job's Delete.
        "comprehend:DescribeDocumentClassificationJob",
        # A rollback's return to a job of a type the updated stack no longer uses.
        "comprehend:ListDocumentClassificationJobs",
        "comprehend:ListTagsForResource",
        "comprehend:TagResource",
    ],
)
def test_the_update_check_fails_without_the_removed_type_grant(action: str) -> None:
    before = every_stack()["RehearsalUpdateBefore"].deployed
    after = after_update()
    template = copy.deepcopy(dict(after.template))
    _drop_action(action)(template["Resources"])
    outcomes = rehearse_update(before, DeployedTemplate(after.stack_name, template, after.env))
    assert any(o.verdict == DENIED and action in o.subject for o in outcomes)


# -- the rollback path, with the framework driving our handler against the emulator ------


def _waiter_verdict(outcomes: list[Outcome]) -> bool:
    verdicts = {o.verdict for o in outcomes if "states:StartExecution" in o.subject}
    assert verdicts, "the stack has a waiting job"
    return verdicts == {"allowed"}


def _waiting_create(load: str = "create_entities_detection") -> dict[str, Any]:
    events = Path(__file__).resolve().parent / "events"
    event: dict[str, Any] = json.loads((events / f"{load}.json").read_text())
    event["ResourceProperties"]["WaitForCompletion"] = "true"
    event["ResourceProperties"]["StopOnDelete"] = "true"
    return event


def _job_status(job_arn: str) -> str:
    import boto3

    client = boto3.client("comprehend", region_name="us-east-1")
    job = client.describe_entities_detection_job(JobId=job_arn.rsplit("/", 1)[1])
    return str(job["EntitiesDetectionJobProperties"]["JobStatus"])


def _started_jobs() -> list[str]:
    import boto3

    client = boto3.client("comprehend", region_name="us-east-1")
    jobs = client.list_entities_detection_jobs()["EntitiesDetectionJobPropertiesList"]
    return [str(j["JobArn"]) for j in jobs]


def test_a_failed_waiting_create_stops_the_job_it_started(aws: str) -> None:
    from rehearsal.framework import ProviderFramework, deploy_create

    from comprehend_jobs._lambda import analysis_job

    # GIVEN the waiting example as synthesized: may its framework start the waiter?
    may_start = _waiter_verdict(rehearsals()["ExampleWaitingJob"])
    framework = ProviderFramework(
        analysis_job.on_event, analysis_job.is_complete, may_start_waiter=may_start
    )
    analysis_job._client.cache_clear()
    # WHEN the job never finishes within the wait (moto's jobs stay SUBMITTED)
    create, rollback = deploy_create(framework, _waiting_create())
    # THEN the create fails with the job's ARN, and the rollback's Delete stops that job
    (job_arn,) = _started_jobs()
    assert (create.status, create.physical_resource_id) == ("FAILED", job_arn)
    assert create.reason == "Operation timed out"
    assert rollback.status == "SUCCESS"
    assert _job_status(job_arn) not in analysis_job.RUNNING_STATES


def test_without_the_waiter_grant_a_failed_create_leaves_its_job_running(aws: str) -> None:
    # Why the grant matters: the framework answers a Create that failed after the job
    # started with its create-failed marker, and ignores the rollback's Delete of it.
    from rehearsal.framework import CREATE_FAILED_MARKER, ProviderFramework, deploy_create

    from comprehend_jobs._lambda import analysis_job

    denied = _mutated("ExampleWaitingJob", _drop_action("states:StartExecution"))
    assert any("states:StartExecution" in o.subject for o in denied)
    framework = ProviderFramework(
        analysis_job.on_event, analysis_job.is_complete, may_start_waiter=False
    )
    analysis_job._client.cache_clear()
    create, rollback = deploy_create(framework, _waiting_create())
    (job_arn,) = _started_jobs()
    assert (create.status, create.physical_resource_id) == ("FAILED", CREATE_FAILED_MARKER)
    assert rollback.reason.startswith("ignored")
    assert _job_status(job_arn) in analysis_job.RUNNING_STATES
