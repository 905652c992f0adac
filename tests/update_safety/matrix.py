"""The change matrix: real changes to a deployed stack, each synthesized before and after.

A configuration is either the example app's context (``Context``: keys for
``app.build_app``, over cdk.json's context) or a small builder over the public API
(``Built``: one stack, ``Analysis``, made by a function of ``BUILDERS``). ``Synthesizer``
synthesizes each distinct configuration once (one App each, asset staging off: the
templates name the assets' hashes all the same).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    DocumentClassificationJob,
    DocumentReadAction,
    DocumentReader,
    EntityRecognitionJob,
    JobEncryption,
    JobHandler,
    JobNetwork,
    JobStorage,
)
from comprehend_jobs.renames import keep_logical_ids

ROOT = Path(__file__).resolve().parents[2]
REGION, ACCOUNT = "us-east-1", "111122223333"
ENV = cdk.Environment(account=ACCOUNT, region=REGION)
RECOGNIZER = f"arn:aws:comprehend:{REGION}:{ACCOUNT}:entity-recognizer/claims/version/v1"
RECOGNIZER_V2 = RECOGNIZER.replace("/v1", "/v2")
CLASSIFIER = f"arn:aws:comprehend:{REGION}:{ACCOUNT}:document-classifier/mail/version/v1"
FLYWHEEL = f"arn:aws:comprehend:{REGION}:{ACCOUNT}:flywheel/claims"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN_2 = KEY_ARN.replace("1234abcd", "5678efab")
ENTITY_SAMPLES = str(ROOT / "samples" / "entity-recognition")
CLASSIFICATION_SAMPLES = str(ROOT / "samples" / "classification")
SUBNETS = "subnet-0a1b2c3d4e5f67890,subnet-0f9e8d7c6b5a43210"
GROUPS = "sg-0123456789abcdef0"


@dataclass(frozen=True)
class Context:
    """The example app with these context keys (over cdk.json's)."""

    items: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        return "context " + json.dumps(dict(self.items), sort_keys=True)


@dataclass(frozen=True)
class Built:
    """The stack ``Analysis`` made by ``BUILDERS[name]``."""

    name: str

    @property
    def label(self) -> str:
        return f"built {self.name}"


Config = Context | Built


def ctx(**keys: str) -> Context:
    """The app's context: a recognizer flow with ``keys`` on top."""
    return bare(**{"recognizer_arn": RECOGNIZER, **keys})


def bare(**keys: str) -> Context:
    """The app's context: ``keys`` alone (no model unless they name one)."""
    return Context(tuple(sorted(keys.items())))


def _analysis(stack: cdk.Stack, construct_id: str = "Entities", **props: Any) -> Any:
    defaults: dict[str, Any] = {"recognizer_arn": RECOGNIZER, "input_documents": ENTITY_SAMPLES}
    return ComprehendAnalysis(stack, construct_id, **{**defaults, **props})


def _classification(stack: cdk.Stack, **props: Any) -> Any:
    return _analysis(
        stack,
        recognizer_arn=None,
        classifier_arn=CLASSIFIER,
        input_documents=CLASSIFICATION_SAMPLES,
        **props,
    )


def _with_second_job(stack: cdk.Stack, job: str) -> None:
    analysis = _analysis(stack)
    parts = {
        "storage": analysis.storage,
        "role": analysis.role,
        "encryption": analysis.encryption,
        "network": analysis.network,
    }
    if job == "entities":
        EntityRecognitionJob(stack, "Second", recognizer_arn=RECOGNIZER_V2, **parts)
    else:
        DocumentClassificationJob(stack, "Mail", classifier_arn=CLASSIFIER, **parts)


def _blocks_at_pattern_paths(stack: cdk.Stack) -> None:
    """The default analysis built from the building blocks, at the pattern's own paths
    (the README's way from the pattern to the blocks, keeping every resource)."""
    scope = Construct(stack, "Entities")
    encryption = JobEncryption(scope, "Encryption")
    storage = JobStorage(scope, "Storage", encryption=encryption)
    network = JobNetwork(scope, "Network", flow_log_key=JobHandler.of(scope).log_key)
    role = DataAccessRole(
        scope, "DataAccessRole", storage=storage, encryption=encryption, network=network
    )
    storage.add_input_documents(ENTITY_SAMPLES)
    EntityRecognitionJob(
        scope,
        "Job",
        recognizer_arn=RECOGNIZER,
        storage=storage,
        role=role,
        encryption=encryption,
        network=network,
    )


def _renamed_keeping_ids(stack: cdk.Stack) -> None:
    keep_logical_ids(_analysis(stack, "Claims"), previous_path="Entities")


def _log_key(stack: cdk.Stack, **props: Any) -> None:
    key = kms.Key(stack, "LogsKey", enable_key_rotation=True)
    key.add_to_resource_policy(JobHandler.log_key_statement(stack))
    _analysis(stack, log_key=key, **props)


def _documents(*extra: tuple[str, str]) -> list[s3deploy.ISource]:
    return [s3deploy.Source.asset(ENTITY_SAMPLES)] + [
        s3deploy.Source.data(name, text) for name, text in extra
    ]


_TICKET = ("ticket-1099.txt", "Ticket 1099: the claim of Ana Silva, policy 77-310, is open.")
_TICKET_2 = ("ticket-1099.txt", "Ticket 1099: the claim of Ana Silva, policy 77-310, is closed.")
_S3_IN = "s3://claims-data/input/"

#: The builders of ``Built`` configurations, by name.
BUILDERS: dict[str, Callable[[cdk.Stack], object]] = {
    "default": lambda s: _analysis(s),
    "recognizer v2": lambda s: _analysis(s, recognizer_arn=RECOGNIZER_V2),
    "classifier": _classification,
    "classifier, no VPC": lambda s: _classification(s, network=False),
    "classifier, wait": lambda s: _classification(s, wait_for_completion=True),
    "classifier, no VPC, wait": lambda s: _classification(
        s, network=False, wait_for_completion=True
    ),
    "flywheel": lambda s: _analysis(
        s, recognizer_arn=None, flywheel_arn=FLYWHEEL, flywheel_model_type="ENTITY_RECOGNIZER"
    ),
    "language es": lambda s: _analysis(s, language_code="es"),
    "one doc per line": lambda s: _analysis(s, input_format="ONE_DOC_PER_LINE"),
    "document reader": lambda s: _analysis(
        s,
        input_format="ONE_DOC_PER_FILE",
        document_reader=DocumentReader(
            read_action=DocumentReadAction.TEXTRACT_DETECT_DOCUMENT_TEXT
        ),
    ),
    "job name": lambda s: _analysis(s, job_name="claims-2026"),
    "tags": lambda s: _analysis(s, tags={"team": "claims"}),
    "tags changed": lambda s: _analysis(s, tags={"team": "claims-ops"}),
    "wait": lambda s: _analysis(s, wait_for_completion=True),
    "no stop on delete": lambda s: _analysis(s, stop_on_delete=False),
    "rerun token": lambda s: _analysis(s, rerun_token="2"),
    "destroy": lambda s: _analysis(s, removal_policy=cdk.RemovalPolicy.DESTROY),
    "no network": lambda s: _analysis(s, network=False),
    "network by ids": lambda s: _analysis(
        s,
        network=JobNetwork.from_ids(
            s, "Net", subnet_ids=SUBNETS.split(","), security_group_ids=[GROUPS]
        ),
    ),
    "no encryption": lambda s: _analysis(s, encryption=False),
    "own JobEncryption": lambda s: _analysis(s, encryption=JobEncryption(s, "Keys")),
    "volume key ARN": lambda s: _analysis(s, volume_key=KEY_ARN),
    "volume key ARN 2": lambda s: _analysis(s, volume_key=KEY_ARN_2),
    "output key in stack": lambda s: _analysis(
        s, output_key=kms.Key(s, "ResultsKey", enable_key_rotation=True)
    ),
    "output alias": lambda s: _analysis(s, output_key="alias/claims-results"),
    "output alias 2": lambda s: _analysis(s, output_key="alias/claims-results-2026"),
    "log key": _log_key,
    "no network, log key": lambda s: _log_key(s, network=False),
    "own storage": lambda s: _analysis(s, storage=JobStorage(s, "Data")),
    "own role": lambda s: _analysis(s, role=DataAccessRole(s, "JobRole")),
    "second entity job": lambda s: _with_second_job(s, "entities"),
    "second, classification job": lambda s: _with_second_job(s, "classification"),
    "renamed": lambda s: _analysis(s, "Claims"),
    "renamed, logical IDs kept": _renamed_keeping_ids,
    "building blocks at the pattern's paths": _blocks_at_pattern_paths,
    "existing input": lambda s: _analysis(s, input_s3_uri=_S3_IN, input_documents=None),
    "existing input, uploaded": lambda s: _analysis(s, input_s3_uri=_S3_IN),
    "existing input, key": lambda s: _analysis(
        s, input_s3_uri=_S3_IN, input_documents=None, input_bucket_key=KEY_ARN
    ),
    "sources": lambda s: _analysis(s, input_documents=_documents()),
    "sources + 1": lambda s: _analysis(s, input_documents=_documents(_TICKET)),
    "sources, 1 changed": lambda s: _analysis(s, input_documents=_documents(_TICKET_2)),
    "existing output": lambda s: _analysis(s, output_s3_uri="s3://claims-results/out/"),
    "no network, no encryption": lambda s: _analysis(s, network=False, encryption=False),
}


@dataclass(frozen=True)
class Case:
    """One change to a deployed stack: ``before`` deployed, then ``after``."""

    name: str
    #: What is changed: a context key, a pattern prop, jobs, uploads, keys, a rename.
    kind: str
    before: Config
    after: Config


def _built(kind: str, name: str, before: str, after: str) -> Case:
    return Case(name, kind, Built(before), Built(after))


def _context(name: str, before: Context, after: Context) -> Case:
    return Case(f"-c {name}", "context key", before, after)


_CTX_IN = {"input_s3_uri": _S3_IN}
_CTX_VPC = {"subnet_ids": SUBNETS, "security_group_ids": GROUPS}
_READ = {"document_read_action": "TEXTRACT_DETECT_DOCUMENT_TEXT"}
_ANALYZE = {"document_read_action": "TEXTRACT_ANALYZE_DOCUMENT"}

#: The matrix, by name (names are unique; the allow-list and the README use them).
CASES: tuple[Case, ...] = (
    # The example app's context keys, each changed on a deployed entity recognition flow.
    _context("recognizer_arn: v1 -> v2", ctx(), ctx(recognizer_arn=RECOGNIZER_V2)),
    _context("classifier_arn: added (a second flow)", ctx(), ctx(classifier_arn=CLASSIFIER)),
    _context(
        "flywheel_arn (+ flywheel_model_type) instead of recognizer_arn",
        ctx(),
        bare(flywheel_arn=FLYWHEEL, flywheel_model_type="ENTITY_RECOGNIZER"),
    ),
    _context("example_models: true -> a real model", bare(example_models="true"), ctx()),
    _context("input_s3_uri: new bucket -> yours", ctx(), ctx(**_CTX_IN)),
    _context(
        "input_s3_uri: another prefix",
        ctx(**_CTX_IN),
        ctx(input_s3_uri="s3://claims-data/input-2026/"),
    ),
    _context(
        "output_s3_uri: new bucket -> yours", ctx(), ctx(output_s3_uri="s3://claims-results/out/")
    ),
    _context(
        "input_documents: another folder",
        ctx(),
        ctx(input_documents="tests/examples/documents"),
    ),
    _context("input_format: ONE_DOC_PER_LINE", ctx(), ctx(input_format="ONE_DOC_PER_LINE")),
    _context(
        "document_read_action: added",
        ctx(),
        ctx(document_read_action="TEXTRACT_DETECT_DOCUMENT_TEXT"),
    ),
    _context(
        "document_read_mode: added",
        ctx(**_READ),
        ctx(**_READ, document_read_mode="FORCE_DOCUMENT_READ_ACTION"),
    ),
    _context(
        "feature_types: FORMS added",
        ctx(**_ANALYZE, feature_types="TABLES"),
        ctx(**_ANALYZE, feature_types="TABLES,FORMS"),
    ),
    _context("volume_kms_key_id: new key -> yours", ctx(), ctx(volume_kms_key_id=KEY_ARN)),
    _context(
        "output_kms_key_id: new key -> yours",
        ctx(),
        ctx(output_kms_key_id="alias/claims-results"),
    ),
    _context(
        "output_kms_key_id: another alias",
        ctx(output_kms_key_id="alias/claims-results"),
        ctx(output_kms_key_id="alias/claims-results-2026"),
    ),
    _context(
        "input_kms_key_id: added",
        ctx(**_CTX_IN),
        ctx(**_CTX_IN, input_kms_key_id="alias/claims-data"),
    ),
    _context("encryption: true -> false", ctx(), ctx(encryption="false")),
    _context("encryption: false -> true", ctx(encryption="false"), ctx()),
    _context("subnet_ids + security_group_ids: new VPC -> yours", ctx(), ctx(**_CTX_VPC)),
    _context(
        "subnet_ids: another subnet",
        ctx(**_CTX_VPC),
        ctx(subnet_ids="subnet-0a1b2c3d4e5f67890", security_group_ids=GROUPS),
    ),
    _context(
        "subnets_reach_s3: true",
        ctx(**_CTX_VPC),
        ctx(**_CTX_VPC, subnets_reach_s3="true"),
    ),
    _context("vpc: true -> false", ctx(), ctx(vpc="false")),
    _context("vpc: false -> true", ctx(vpc="false"), ctx()),
    _context("job_name: added", ctx(), ctx(job_name="claims-2026")),
    _context("tags: added", ctx(), ctx(tags='{"team": "claims"}')),
    _context("tags: a value changed", ctx(tags='{"team": "claims"}'), ctx(tags='{"team": "ops"}')),
    _context("wait_for_completion: false -> true", ctx(), ctx(wait_for_completion="true")),
    _context("wait_for_completion: true -> false", ctx(wait_for_completion="true"), ctx()),
    _context("rerun_token: added", ctx(), ctx(rerun_token="2")),
    _context("rerun_token: 2 -> 3", ctx(rerun_token="2"), ctx(rerun_token="3")),
    # The pattern's props, on a ComprehendAnalysis of the public API.
    _built("pattern prop", "recognizer_arn: v1 -> v2", "default", "recognizer v2"),
    _built("pattern prop", "recognizer_arn -> classifier_arn", "default", "classifier"),
    _built("pattern prop", "classifier_arn -> recognizer_arn", "classifier", "default"),
    _built(
        "pattern prop",
        "recognizer_arn -> flywheel_arn (+ flywheel_model_type)",
        "default",
        "flywheel",
    ),
    _built("pattern prop", "language_code: en -> es", "default", "language es"),
    _built("pattern prop", "input_format: ONE_DOC_PER_LINE", "default", "one doc per line"),
    _built("pattern prop", "document_reader: added", "default", "document reader"),
    _built("pattern prop", "job_name: added", "default", "job name"),
    _built("pattern prop", "tags: added", "default", "tags"),
    _built("pattern prop", "tags: a value changed", "tags", "tags changed"),
    _built("pattern prop", "wait_for_completion: on", "default", "wait"),
    _built("pattern prop", "stop_on_delete: off", "default", "no stop on delete"),
    _built("pattern prop", "rerun_token: added", "default", "rerun token"),
    _built("pattern prop", "removal_policy: DESTROY", "default", "destroy"),
    _built("pattern prop", "network: True -> False", "default", "no network"),
    _built("pattern prop", "network: False -> True", "no network", "default"),
    _built("pattern prop", "network: new VPC -> JobNetwork.from_ids", "default", "network by ids"),
    _built("pattern prop", "classifier: network True -> False", "classifier", "classifier, no VPC"),
    _built(
        "pattern prop",
        "classifier (waited): network True -> False",
        "classifier, wait",
        "classifier, no VPC, wait",
    ),
    _built("pattern prop", "encryption: True -> False", "default", "no encryption"),
    _built("pattern prop", "encryption: False -> True", "no encryption", "default"),
    _built("pattern prop", "encryption: a JobEncryption of yours", "default", "own JobEncryption"),
    _built("pattern prop", "storage: a JobStorage of yours", "default", "own storage"),
    _built("pattern prop", "role: a DataAccessRole of yours", "default", "own role"),
    _built("pattern prop", "output_s3_uri: new bucket -> yours", "default", "existing output"),
    _built(
        "pattern prop",
        "network and encryption: both off",
        "default",
        "no network, no encryption",
    ),
    # Keys.
    _built("keys", "volume_key: new key -> key ARN", "default", "volume key ARN"),
    _built("keys", "volume_key: another key ARN", "volume key ARN", "volume key ARN 2"),
    _built("keys", "output_key: new key -> a key in the stack", "default", "output key in stack"),
    _built("keys", "output_key: new key -> alias", "default", "output alias"),
    _built("keys", "output_key: another alias", "output alias", "output alias 2"),
    _built("keys", "input_bucket_key: added", "existing input", "existing input, key"),
    _built("keys", "log_key: the handler's -> yours", "default", "log key"),
    _built("keys", "log_key: yours -> the handler's", "log key", "default"),
    _built(
        "keys",
        "log_key: the handler's -> yours, no VPC",
        "no network",
        "no network, log key",
    ),
    # Jobs.
    _built("jobs", "a second entity job: added", "default", "second entity job"),
    _built("jobs", "a second entity job: removed", "second entity job", "default"),
    _built(
        "jobs",
        "a classification job on the same role: added",
        "default",
        "second, classification job",
    ),
    _built(
        "jobs",
        "a classification job on the same role: removed",
        "second, classification job",
        "default",
    ),
    # Uploads.
    _built("uploads", "input_documents: a document added", "sources", "sources + 1"),
    _built("uploads", "input_documents: a document changed", "sources + 1", "sources, 1 changed"),
    _built("uploads", "input_documents: a document removed", "sources + 1", "sources"),
    _built("uploads", "upload to your bucket: added", "existing input", "existing input, uploaded"),
    _built(
        "uploads", "upload to your bucket: removed", "existing input, uploaded", "existing input"
    ),
    _built("uploads", "input_s3_uri: new bucket -> yours, no upload", "default", "existing input"),
    # Renames, the README's way (a bare rename is ``BARE_RENAME``, below).
    _built(
        "rename",
        "ComprehendAnalysis renamed (Entities -> Claims), keep_logical_ids",
        "default",
        "renamed, logical IDs kept",
    ),
    _built(
        "rename",
        "ComprehendAnalysis -> building blocks at its paths",
        "default",
        "building blocks at the pattern's paths",
    ),
)

#: A rename with nothing to keep the resources: every logical ID below the construct
#: changes, which no template can tell from a new construct. Not a change the library can
#: make safe, so not in ``CASES``: a test holds that the check reports it, and the README
#: says what to do instead (``keep_logical_ids``).
BARE_RENAME = _built(
    "rename", "ComprehendAnalysis renamed (Entities -> Claims)", "default", "renamed"
)


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class Synthesizer:
    """Synthesizes each configuration once; templates by stack name."""

    def __init__(self, outdir: Path) -> None:
        self._outdir = outdir
        self._cache: dict[Config, dict[str, dict[str, Any]]] = {}
        base = json.loads((ROOT / "cdk.json").read_text())["context"]
        # Templates name each asset by its source's hash either way; copying the assets
        # into every cloud assembly would cost seconds and megabytes per configuration.
        self._context = {**base, "aws:cdk:disable-asset-staging": True}

    def templates(self, config: Config) -> dict[str, dict[str, Any]]:
        """The stacks of ``config``, by stack name (synthesized on first use)."""
        if config not in self._cache:
            self._cache[config] = self._synth(config)
        return self._cache[config]

    @property
    def count(self) -> int:
        """How many configurations were synthesized."""
        return len(self._cache)

    def _synth(self, config: Config) -> dict[str, dict[str, Any]]:
        from app import build_app

        outdir = self._outdir / f"config-{len(self._cache)}"
        if isinstance(config, Context):
            app = cdk.App(context={**self._context, **dict(config.items)}, outdir=str(outdir))
            with _environment(CDK_DEFAULT_ACCOUNT=ACCOUNT, CDK_DEFAULT_REGION=REGION):
                build_app(app, compliance_checks=False)
        else:
            app = cdk.App(context=self._context, outdir=str(outdir))
            BUILDERS[config.name](cdk.Stack(app, "Analysis", env=ENV))
        assembly = app.synth()
        return {stack.stack_name: dict(stack.template) for stack in assembly.stacks}
