"""Wrong inputs as people paste and copy them (issue 23): whitespace, IDs of the wrong kind,
lists given as strings, tags in other shapes, S3 locations in the forms the console and
the browser show, resources of another account, networks and documents that cannot work.

Each row is one mistake, through a public entry point (a construct, or the console's
context keys). It must be refused with one ``PropValidationError`` (a ``ContextError`` for
context keys) before anything is built, naming the prop or key as typed and the value,
saying what is allowed, with a fix; where the fix is a value, that value must itself be
accepted (a value offered as ``use PROP=VALUE`` is checked as that prop's form).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import aws_cdk as cdk
import pytest
from aws_cdk import Environment, Stack
from aws_cdk import aws_ec2 as ec2
from nag_support import new_app

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    DocumentReader,
    EntityRecognitionJob,
    EventsDetectionJob,
    JobEncryption,
    JobNetwork,
    JobStorage,
    KeyPhrasesDetectionJob,
    PiiEntitiesDetectionJob,
    PiiRedaction,
    PropValidationError,
)
from comprehend_jobs._private.api_model import matches_shape
from comprehend_jobs.console import ContextError, build_flows, read_config

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "111122223333"
OTHER = "444455556666"
ENV = Environment(account=ACCOUNT, region="us-east-1")
RECOGNIZER = f"arn:aws:comprehend:us-east-1:{ACCOUNT}:entity-recognizer/tickets"
CLASSIFIER = f"arn:aws:comprehend:us-east-1:{ACCOUNT}:document-classifier/routing"
FLYWHEEL = f"arn:aws:comprehend:us-east-1:{ACCOUNT}:flywheel/wheel"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY_ID}"
SUBNET = "subnet-0a1b2c3d4e5f67890"
SUBNET2 = "subnet-0f9e8d7c6b5a43210"
GROUP = "sg-0123456789abcdef0"
DOCUMENTS = "s3://example-documents/input/"
CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
#: Context for one flow that needs nothing else (documents already in S3, no VPC).
FLOW = {"recognizer_arn": RECOGNIZER, "input_s3_uri": DOCUMENTS}


class Case(NamedTuple):
    """One wrong input: its class, the call, the prop or context key, a fix text."""

    kind: str
    name: str
    call: Callable[[dict[str, Any]], Any]
    key: str
    fix: str


def analysis(**props: Any) -> Callable[[dict[str, Any]], Any]:
    def call(parts: dict[str, Any]) -> Any:
        props.setdefault("network", False)
        if not {"recognizer_arn", "classifier_arn", "flywheel_arn"} & set(props):
            props["recognizer_arn"] = RECOGNIZER
        if "input_documents" not in props and "input_s3_uri" not in props:
            props["input_s3_uri"] = DOCUMENTS
        return ComprehendAnalysis(parts["stack"], "Wrong", **props)

    return call


def job(cls: type, **props: Any) -> Callable[[dict[str, Any]], Any]:
    def call(parts: dict[str, Any]) -> Any:
        base = {"storage": parts["storage"], "role": parts["role"]}
        if cls is EntityRecognitionJob and "recognizer_arn" not in props:
            base["recognizer_arn"] = RECOGNIZER
        return cls(parts["stack"], "Wrong", **{**base, **props})

    return call


def construct(cls: Any, **props: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda parts: cls(parts["stack"], "Wrong", **props)


def from_ids(**props: Any) -> Callable[[dict[str, Any]], Any]:
    props.setdefault("subnet_ids", [SUBNET])
    props.setdefault("security_group_ids", [GROUP])
    return lambda parts: JobNetwork.from_ids(parts["stack"], "Wrong", **props)


def console(**context: Any) -> Callable[[dict[str, Any]], Any]:
    def call(parts: dict[str, Any]) -> Any:
        values = {k: v(parts) if callable(v) else v for k, v in context.items()}
        app = cdk.App(context={**CONTEXT, **FLOW, **values})
        config = read_config(app.node, under_cli=False)
        return build_flows(app, config, project_dir=ROOT, env=cdk.Environment(**_env(context)))

    return call


def _env(context: dict[str, Any]) -> dict[str, str]:
    # The stack's account and the models' Region: the rows are about other mistakes.
    return {"account": ACCOUNT, "region": "us-east-1"}


def folder(tmp: Path, name: str, files: dict[str, bytes]) -> str:
    path = tmp / name
    path.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        (path / relative).parent.mkdir(parents=True, exist_ok=True)
        (path / relative).write_bytes(content)
    return str(path)


def documents(name: str, files: dict[str, bytes], **props: Any) -> Any:
    def call(parts: dict[str, Any]) -> Any:
        return analysis(input_documents=folder(parts["tmp"], name, files), **props)(parts)

    return call


PDF = b"%PDF-1.7\n" + b"\x00\x01binary" * 10
CASES: list[Case] = [
    # -- pasted whitespace ---------------------------------------------------------------
    Case(
        "whitespace",
        "model ARN with a newline",
        analysis(recognizer_arn=RECOGNIZER + "\n"),
        "recognizer_arn",
        f"use recognizer_arn={RECOGNIZER!r}",
    ),
    Case(
        "whitespace",
        "classifier ARN with a leading space",
        analysis(classifier_arn=" " + CLASSIFIER),
        "classifier_arn",
        f"use classifier_arn={CLASSIFIER!r}",
    ),
    Case(
        "whitespace",
        "flywheel ARN with a tab",
        analysis(flywheel_arn=FLYWHEEL + "\t", flywheel_model_type="ENTITY_RECOGNIZER"),
        "flywheel_arn",
        f"use flywheel_arn={FLYWHEEL!r}",
    ),
    Case(
        "whitespace",
        "input URI with a newline",
        analysis(input_s3_uri=DOCUMENTS + "\n"),
        "input_s3_uri",
        f"use input_s3_uri={DOCUMENTS!r}",
    ),
    Case(
        "whitespace",
        "output URI with spaces",
        analysis(output_s3_uri=" s3://example-results/out/ "),
        "output_s3_uri",
        "use output_s3_uri='s3://example-results/out/'",
    ),
    Case(
        "whitespace",
        "volume key ID with a newline",
        construct(JobEncryption, existing_volume_key=KEY_ID + "\n"),
        "existing_volume_key",
        f"use existing_volume_key={KEY_ID!r}",
    ),
    Case(
        "whitespace",
        "output alias with a trailing space",
        construct(JobEncryption, existing_output_key="alias/results "),
        "existing_output_key",
        "use existing_output_key='alias/results'",
    ),
    Case(
        "whitespace",
        "pattern volume key ARN with a newline",
        analysis(volume_key=KEY_ARN + "\n"),
        "volume_key",
        f"use volume_key={KEY_ARN!r}",
    ),
    Case(
        "whitespace",
        "subnet ID with a trailing space",
        from_ids(subnet_ids=[SUBNET + " "]),
        "subnet_ids",
        f"use subnet_ids=[{SUBNET!r}]",
    ),
    Case(
        "whitespace",
        "security group ID with a newline",
        from_ids(security_group_ids=[GROUP + "\n"]),
        "security_group_ids",
        f"use security_group_ids=[{GROUP!r}]",
    ),
    Case(
        "whitespace",
        "role ARN with a newline",
        lambda parts: DataAccessRole.from_role_arn(
            parts["stack"], "Wrong", f"arn:aws:iam::{ACCOUNT}:role/comprehend\n"
        ),
        "role_arn",
        f"use role_arn='arn:aws:iam::{ACCOUNT}:role/comprehend'",
    ),
    Case(
        "whitespace",
        "job name with a newline",
        analysis(job_name="tickets\n"),
        "job_name",
        "use e.g. job_name='tickets'",
    ),
    Case(
        "whitespace",
        "tag key with spaces",
        analysis(tags={" team ": "claims"}),
        "tags",
        "use tags={'team': 'claims'}",
    ),
    # -- IDs of the wrong kind or shape ----------------------------------------------------
    Case(
        "ids",
        "subnet and group swapped",
        from_ids(subnet_ids=[GROUP], security_group_ids=[SUBNET]),
        "subnet_ids",
        "subnet IDs",
    ),
    Case(
        "ids",
        "group ID in the subnets",
        from_ids(subnet_ids=[SUBNET, GROUP]),
        "subnet_ids",
        "subnet IDs",
    ),
    Case(
        "ids",
        "VPC ID as a subnet",
        from_ids(subnet_ids=["vpc-0a1b2c3d4e5f67890"]),
        "subnet_ids",
        "subnet IDs",
    ),
    Case(
        "ids",
        "subnet ID as a group",
        from_ids(security_group_ids=[SUBNET]),
        "security_group_ids",
        "security group IDs",
    ),
    Case(
        "ids",
        "group name for a group ID",
        from_ids(security_group_ids=["default"]),
        "security_group_ids",
        "describe-security-groups",
    ),
    Case(
        "ids",
        "group name with dashes",
        from_ids(security_group_ids=["claims-jobs"]),
        "security_group_ids",
        "describe-security-groups",
    ),
    Case(
        "ids",
        "duplicate subnets",
        from_ids(subnet_ids=[SUBNET, SUBNET]),
        "subnet_ids",
        f"use subnet_ids=[{SUBNET!r}]",
    ),
    Case(
        "ids",
        "duplicate groups",
        from_ids(security_group_ids=[GROUP, GROUP]),
        "security_group_ids",
        f"use security_group_ids=[{GROUP!r}]",
    ),
    Case(
        "ids",
        "subnet ID not hex",
        from_ids(subnet_ids=["subnet-claims"]),
        "subnet_ids",
        "subnet IDs",
    ),
    Case(
        "ids",
        "context: swapped IDs",
        console(subnet_ids=GROUP, security_group_ids=SUBNET),
        "subnet_ids",
        "subnet IDs",
    ),
    Case(
        "ids",
        "context: 17 subnets",
        console(
            subnet_ids=",".join(f"subnet-{i:017x}" for i in range(17)), security_group_ids=GROUP
        ),
        "subnet_ids",
        "pass 1 to 16 IDs",
    ),
    Case(
        "ids",
        "context: 6 groups as JSON",
        console(
            subnet_ids=SUBNET, security_group_ids=json.dumps([f"sg-{i:017x}" for i in range(6)])
        ),
        "security_group_ids",
        "pass 1 to 5 IDs",
    ),
    Case(
        "ids",
        "context: duplicate groups",
        console(subnet_ids=SUBNET, security_group_ids=f"{GROUP},{GROUP}"),
        "security_group_ids",
        f"-c security_group_ids={GROUP}",
    ),
    Case(
        "ids",
        "context: group name",
        console(subnet_ids=SUBNET, security_group_ids="default"),
        "security_group_ids",
        "describe-security-groups",
    ),
    Case(
        "ids",
        "context: empty item",
        console(subnet_ids=f'["{SUBNET}", ""]', security_group_ids=GROUP),
        "subnet_ids",
        "copy the IDs",
    ),
    # -- list/string confusion -------------------------------------------------------------
    Case(
        "lists",
        "subnet_ids as a string",
        from_ids(subnet_ids=SUBNET),
        "subnet_ids",
        f"use subnet_ids=[{SUBNET!r}]",
    ),
    Case(
        "lists",
        "security_group_ids as a string",
        from_ids(security_group_ids=GROUP),
        "security_group_ids",
        f"use security_group_ids=[{GROUP!r}]",
    ),
    Case(
        "lists",
        "feature types as a string",
        lambda parts: analysis(
            classifier_arn=CLASSIFIER,
            input_format="ONE_DOC_PER_FILE",
            document_reader=DocumentReader(
                read_action="TEXTRACT_ANALYZE_DOCUMENT", feature_types="TABLES"
            ),
        )(parts),
        "document_reader.feature_types",
        "use feature_types=['TABLES']",
    ),
    Case(
        "lists",
        "event types as a string",
        job(EventsDetectionJob, target_event_types="BANKRUPTCY"),
        "target_event_types",
        "use target_event_types=['BANKRUPTCY']",
    ),
    Case(
        "lists",
        "redacted entity types as a string",
        lambda parts: job(
            PiiEntitiesDetectionJob,
            mode="ONLY_REDACTION",
            redaction=PiiRedaction(entity_types="SSN"),
        )(parts),
        "redaction.entity_types",
        "use entity_types=['SSN']",
    ),
    Case(
        "lists",
        "input_documents as a list of paths",
        analysis(input_documents=["samples/entity-recognition"]),
        "input_documents",
        "input_documents='samples/entity-recognition'",
    ),
    # -- tags in other shapes --------------------------------------------------------------
    Case(
        "tags",
        "number as a value",
        analysis(tags={"cost-center": 42}),
        "tags",
        "use tags={'cost-center': '42'}",
    ),
    Case("tags", "None as a value", analysis(tags={"team": None}), "tags", "tags={'team': ''}"),
    Case(
        "tags",
        "CloudFormation's list form",
        analysis(tags=[{"Key": "team", "Value": "claims"}]),
        "tags",
        "use tags={'team': 'claims'}",
    ),
    Case("tags", "a string", analysis(tags="team=claims"), "tags", "use tags={'team': 'claims'}"),
    Case("tags", "number as a key", analysis(tags={1: "x"}), "tags", "use tags={'1': 'x'}"),
    Case(
        "tags",
        "reserved aws: prefix",
        analysis(tags={"aws:team": "claims"}),
        "tags",
        "use tags={'team': 'claims'}",
    ),
    Case(
        "tags",
        "on a job: list form",
        job(KeyPhrasesDetectionJob, tags=[{"Key": "team", "Value": "claims"}]),
        "tags",
        "use tags={'team': 'claims'}",
    ),
    Case(
        "tags",
        "on a job: number value",
        job(KeyPhrasesDetectionJob, tags={"n": 1}),
        "tags",
        "use tags={'n': '1'}",
    ),
    Case(
        "tags",
        "context: number value",
        console(tags='{"cost-center": 42}'),
        "tags",
        '{"cost-center": "42"}',
    ),
    # -- S3 locations as people copy them ------------------------------------------------
    Case(
        "s3",
        "console's Copy URL (virtual-hosted https)",
        analysis(input_s3_uri="https://example-documents.s3.us-east-1.amazonaws.com/input/"),
        "input_s3_uri",
        "use input_s3_uri='s3://example-documents/input/'",
    ),
    Case(
        "s3",
        "path-style https",
        analysis(input_s3_uri="https://s3.us-east-1.amazonaws.com/example-documents/input/"),
        "input_s3_uri",
        "use input_s3_uri='s3://example-documents/input/'",
    ),
    Case(
        "s3",
        "legacy global endpoint URL",
        analysis(output_s3_uri="https://example-results.s3.amazonaws.com/out/"),
        "output_s3_uri",
        "use output_s3_uri='s3://example-results/out/'",
    ),
    Case(
        "s3",
        "bucket ARN with a key",
        analysis(input_s3_uri="arn:aws:s3:::example-documents/input/"),
        "input_s3_uri",
        "use input_s3_uri='s3://example-documents/input/'",
    ),
    Case(
        "s3",
        "access point ARN",
        analysis(input_s3_uri=f"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/docs/object/input/"),
        "input_s3_uri",
        "the bucket behind the access point",
    ),
    Case(
        "s3",
        "S3:// uppercase scheme",
        analysis(input_s3_uri="S3://example-documents/input/"),
        "input_s3_uri",
        "use input_s3_uri='s3://example-documents/input/'",
    ),
    Case(
        "s3",
        "glob of files",
        analysis(input_s3_uri="s3://example-documents/input/*.txt"),
        "input_s3_uri",
        "use input_s3_uri='s3://example-documents/input/'",
    ),
    Case(
        "s3",
        "s3a:// scheme",
        analysis(input_s3_uri="s3a://example-documents/input/"),
        "input_s3_uri",
        "use input_s3_uri='s3://example-documents/input/'",
    ),
    Case(
        "s3",
        "one slash after s3:",
        analysis(input_s3_uri="s3:/example-documents/input/"),
        "input_s3_uri",
        "use input_s3_uri='s3://example-documents/input/'",
    ),
    Case(
        "s3",
        "context: Copy URL",
        console(input_s3_uri="https://example-documents.s3.us-east-1.amazonaws.com/input/"),
        "input_s3_uri",
        "-c input_s3_uri=s3://example-documents/input/",
    ),
    Case(
        "s3",
        "storage from an https URL",
        lambda parts: JobStorage.from_s3_uris(
            parts["stack"],
            "Wrong",
            input_s3_uri="https://s3.us-east-1.amazonaws.com/example-documents/input/",
        ),
        "input_s3_uri",
        "use input_s3_uri='s3://example-documents/input/'",
    ),
    # -- resources of another account ----------------------------------------------------
    Case(
        "account",
        "role of another account",
        lambda parts: KeyPhrasesDetectionJob(
            parts["stack"], "Wrong", storage=parts["storage"], role=parts["other_role"]
        ),
        "role",
        f"use a role of account {ACCOUNT}",
    ),
    Case(
        "account",
        "recognizer of another account",
        analysis(recognizer_arn=RECOGNIZER.replace(ACCOUNT, OTHER)),
        "recognizer_arn",
        "import",
    ),
    Case(
        "account",
        "classifier of another account",
        analysis(classifier_arn=CLASSIFIER.replace(ACCOUNT, OTHER)),
        "classifier_arn",
        "import",
    ),
    Case(
        "account",
        "job with a recognizer of another account",
        job(EntityRecognitionJob, recognizer_arn=RECOGNIZER.replace(ACCOUNT, OTHER)),
        "recognizer_arn",
        "import",
    ),
    Case(
        "account",
        "flywheel of another account",
        analysis(
            flywheel_arn=FLYWHEEL.replace(ACCOUNT, OTHER), flywheel_model_type="ENTITY_RECOGNIZER"
        ),
        "flywheel_arn",
        "import",
    ),
    # -- networks that cannot work ---------------------------------------------------------
    Case(
        "network",
        "group of another VPC",
        lambda parts: JobNetwork(
            parts["stack"], "Wrong", existing_vpc=parts["vpc_a"], security_groups=[parts["group_b"]]
        ),
        "security_groups",
        "vpc=existing_vpc",
    ),
    Case(
        "network",
        "subnets of another VPC",
        lambda parts: JobNetwork(
            parts["stack"],
            "Wrong",
            existing_vpc=parts["vpc_a"],
            subnet_selection=ec2.SubnetSelection(subnets=parts["vpc_b"].isolated_subnets),
        ),
        "subnet_selection",
        "select subnets of existing_vpc",
    ),
    Case(
        "network",
        "groups of two VPCs",
        lambda parts: JobNetwork(
            parts["stack"],
            "Wrong",
            existing_vpc=parts["vpc_a"],
            security_groups=[parts["group_a"], parts["group_b"]],
        ),
        "security_groups",
        "vpc=existing_vpc",
    ),
    # -- documents that cannot work ----------------------------------------------------
    Case(
        "documents",
        "empty folder",
        documents("empty", {}),
        "input_documents",
        "put the documents in",
    ),
    Case(
        "documents",
        "only hidden files",
        documents("hidden", {".DS_Store": b"x"}),
        "input_documents",
        "put the documents in",
    ),
    Case(
        "documents",
        "text over 1 MB for entity recognition",
        documents("big", {"big.txt": b"a" * (1024 * 1024 + 1)}),
        "input_documents",
        "split",
    ),
    Case(
        "documents",
        "text over 10 MB for classification",
        documents("huge", {"huge.txt": b"a" * (10 * 1024 * 1024 + 1)}, classifier_arn=CLASSIFIER),
        "input_documents",
        "split",
    ),
    Case(
        "documents",
        "PDF with ONE_DOC_PER_LINE",
        documents("pdf", {"claim.pdf": PDF}, input_format="ONE_DOC_PER_LINE"),
        "input_documents",
        "input_format=InputFormat.ONE_DOC_PER_FILE",
    ),
    Case(
        "documents",
        "a line over 1 MB with ONE_DOC_PER_LINE",
        documents(
            "lines",
            {"lines.txt": b"a" * (1024 * 1024 + 1) + b"\n"},
            input_format="ONE_DOC_PER_LINE",
        ),
        "input_documents",
        "split",
    ),
    Case(
        "documents",
        "image with ONE_DOC_PER_LINE",
        documents(
            "img",
            {"scan.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 20},
            input_format="ONE_DOC_PER_LINE",
        ),
        "input_documents",
        "input_format=InputFormat.ONE_DOC_PER_FILE",
    ),
    Case(
        "documents",
        "context: empty folder",
        console(
            input_s3_uri=None, input_documents=lambda parts: folder(parts["tmp"], "ctx-empty", {})
        ),
        "input_documents",
        "put the documents in",
    ),
]


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    app = new_app()
    stack = Stack(app, "Copied", env=ENV)
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    vpc_a = ec2.Vpc(
        stack,
        "VpcA",
        max_azs=1,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="jobs", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
    )
    vpc_b = ec2.Vpc(
        stack,
        "VpcB",
        max_azs=1,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="jobs", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
    )
    return {
        "tmp": tmp_path_factory.mktemp("documents"),
        "app": app,
        "stack": stack,
        "storage": storage,
        "role": DataAccessRole(stack, "Role", storage=storage),
        "vpc": ec2.Vpc.from_vpc_attributes(
            stack,
            "Vpc",
            vpc_id="vpc-0a1b2c3d4e5f67890",
            availability_zones=["us-east-1a"],
            private_subnet_ids=[SUBNET],
        ),
        "vpc_a": vpc_a,
        "vpc_b": vpc_b,
        "group_a": ec2.SecurityGroup(stack, "GroupA", vpc=vpc_a),
        "group_b": ec2.SecurityGroup(stack, "GroupB", vpc=vpc_b),
        "group": ec2.SecurityGroup.from_security_group_id(stack, "Group", GROUP),
        "other_role": DataAccessRole.from_role_arn(
            stack, "OtherRole", f"arn:aws:iam::{OTHER}:role/comprehend"
        ),
    }


def test_there_are_at_least_sixty_new_wrong_inputs_in_every_class() -> None:
    assert len(CASES) >= 60, len(CASES)
    assert len({c.name for c in CASES}) == len(CASES)
    kinds = {c.kind for c in CASES}
    assert kinds == {"whitespace", "ids", "lists", "tags", "s3", "account", "network", "documents"}


#: A fix that names a value: ``use PROP=VALUE`` (Python) or ``-c KEY=VALUE`` (context).
_FIXED_VALUE = re.compile(r"(?:use |-c )(\w+)=('[^']*'|\[[^\]]*\]|\{[^}]*\})")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}: {c.name}" for c in CASES])
def test_a_copied_wrong_input_is_refused_naming_it_with_a_valid_fix(
    parts: dict[str, Any], case: Case
) -> None:
    # A stack of its own: a case that builds something cannot spoil the next one.
    stack = Stack(parts["app"], f"Case{CASES.index(case)}", env=ENV)
    before = len(stack.node.find_all())
    with pytest.raises((PropValidationError, ContextError)) as raised:
        case.call({**parts, "stack": stack})
    error = raised.value
    message = str(error)
    if isinstance(error, ContextError):
        assert f"context key {case.key!r}=" in message, message
    else:
        assert isinstance(error, PropValidationError)
        mine = [p for p in error.problems if p.startswith(f"{case.key}=")]
        assert mine, message
        message = mine[0]
        assert " is not valid: " in message
    if isinstance(error, PropValidationError) or "Fix: " in message:
        assert case.fix in message.split("Fix: ", 1)[1], message
    else:
        assert case.fix in message, message
    assert "InterfaceDynamicProxy" not in message
    _assert_offered_value_is_valid(message)
    # Refused before anything is built.
    assert len(stack.node.find_all()) == before


def _assert_offered_value_is_valid(message: str) -> None:
    """A value the fix offers (``use PROP=VALUE``) has the form its prop takes: no pasted
    whitespace, an S3 URI the API's shape accepts, IDs without duplicates, string tags."""
    fix = message.split("Fix: ", 1)[-1]
    for prop, literal in re.findall(r"use (\w+)=('[^']*'|\[[^\]]*\]|\{[^}]*\})", fix):
        value = ast.literal_eval(literal)
        items = value if isinstance(value, list) else [value]
        if isinstance(value, dict):
            items = [*value, *value.values()]
            assert all(isinstance(v, str) for v in items), (prop, value)
            assert not any(k.lower().startswith("aws:") for k in value), (prop, value)
        assert all(isinstance(i, str) and i == i.strip() for i in items), (prop, value)
        assert len(set(items)) == len(items) or isinstance(value, dict), (prop, value)
        for item in items:
            if item.startswith("s3://"):
                assert matches_shape("S3Uri", item), (prop, item)
