"""One composition as an App, built through ``comprehend_jobs``' exports only.

``build(composition, app)`` writes what a user would write for that composition: the
platform's own resources (keys, buckets, VPCs the user brings) under a construct named
``Platform`` (in the parent stack when the composition's stack is nested), then the
library's constructs. Each call into the library goes through ``Steps.call``, so a refusal
names the step that raised it and ``nothing_built`` can prove that step left the
construct tree as it found it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, NestedStack, Stack, Stage
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

import comprehend_jobs as cj

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = str(ROOT / "samples" / "entity-recognition")
MORE_DOCUMENTS = str(ROOT / "samples" / "classification")

#: The account of every concrete stack, and the fake deploy target of env-agnostic ones.
ACCOUNT = "111111111111"
#: Another account: its keys are the "another account's ARN" values.
FOREIGN_ACCOUNT = "222222222222"
#: Where each partition value deploys (env-agnostic stacks: the rehearsal's default).
REGIONS: dict[str, str] = {
    "aws": "us-east-1",
    "aws-cn": "cn-north-1",
    "aws-us-gov": "us-gov-west-1",
    "agnostic": "us-east-1",
}
#: The stack every composition is built in (and its parent or stage, where it has one).
STACK = "Composition"
PARENT = "Parent"
STAGE = "Prod"

#: The brought buckets, by how they are given. Their default encryption is their owner's:
#: ``Built.bucket_keys`` tells the rehearsal what it is.
LAKE_KMS = "claims-lake-kms"
LAKE_PLAIN = "claims-lake"
RESULTS_KMS = "claims-results-kms"
RESULTS_PLAIN = "claims-results"
VPC_ID = "vpc-0a1b2c3d4e5f67890"
SUBNET_IDS = ("subnet-0a1b2c3d4e5f67890", "subnet-0f9e8d7c6b5a43210")
ROUTE_TABLE_IDS = ("rtb-0a1b2c3d4e5f67890", "rtb-0f9e8d7c6b5a43210")
SECURITY_GROUP_ID = "sg-0a1b2c3d4e5f67890"


@dataclass(frozen=True)
class Where:
    """The ARNs' partition, Region and account for a composition."""

    partition: str
    region: str
    account: str = ACCOUNT

    def arn(self, service: str, resource: str, *, account: str | None = None) -> str:
        """An ARN of this partition and Region (``account`` defaults to the stack's)."""
        return f"arn:{self.partition}:{service}:{self.region}:{account or self.account}:{resource}"

    def key_arn(self, key_id: str, *, account: str | None = None) -> str:
        """A KMS key ARN."""
        return self.arn("kms", f"key/{key_id}", account=account)


def where(composition: Mapping[str, str]) -> Where:
    """Where a composition's ARNs point (an env-agnostic stack's: the rehearsal's target)."""
    partition = composition["partition"]
    return Where("aws" if partition == "agnostic" else partition, REGIONS[partition])


def environment(composition: Mapping[str, str]) -> Environment | None:
    """The stack's environment, None for an env-agnostic stack."""
    if composition["partition"] == "agnostic":
        return None
    return Environment(account=ACCOUNT, region=REGIONS[composition["partition"]])


#: The key IDs of the brought buckets' keys (the lake's is given as ``input_key`` says).
LAKE_KEY_ID = "5a5a5a5a-1111-2222-3333-444455556666"
RESULTS_KEY_ID = "5b5b5b5b-1111-2222-3333-444455556666"
LAKE_ALIAS = "alias/claims-lake"


def lookup_context(composition: Mapping[str, str]) -> dict[str, Any]:
    """The context ``cdk synth`` would have cached for ``Vpc.from_lookup`` (cdk.context.json)."""
    if composition["network"] != "lookup" or composition["partition"] == "agnostic":
        return {}
    region = REGIONS[composition["partition"]]
    key = (
        f"vpc-provider:account={ACCOUNT}:filter.vpc-id={VPC_ID}:region={region}"
        ":returnAsymmetricSubnets=true"
    )
    subnets = [
        {
            "subnetId": subnet,
            "cidr": f"10.1.{i}.0/24",
            "availabilityZone": f"{region}{'ab'[i]}",
            "routeTableId": ROUTE_TABLE_IDS[i],
        }
        for i, subnet in enumerate(SUBNET_IDS)
    ]
    return {
        key: {
            "vpcId": VPC_ID,
            "vpcCidrBlock": "10.1.0.0/16",
            "ownerAccountId": ACCOUNT,
            "availabilityZones": [],
            "subnetGroups": [{"name": "Jobs", "type": "Isolated", "subnets": subnets}],
        }
    }


class Refused(Exception):
    """A library call raised ``PropValidationError``: which step, and the error."""

    def __init__(
        self,
        step: int,
        label: str,
        error: cj.PropValidationError,
        before: frozenset[str] = frozenset(),
        after: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(f"step {step} ({label}): {error}")
        self.step = step
        self.label = label
        self.error = error
        #: The app's construct paths just before and just after the call (when watched).
        self.before = before
        self.after = after


@dataclass
class Steps:
    """Every call into the library, numbered. With ``watch`` set to a step number, the
    construct paths of the whole app are recorded before and after that step."""

    app: App
    watch: int | None = None
    count: int = 0
    before: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()

    def paths(self) -> frozenset[str]:
        """The path of every construct in the app."""
        return frozenset(c.node.path for c in self.app.node.find_all())

    def call(self, label: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``function(*args, **kwargs)``, a call into the library."""
        self.count += 1
        watched = self.watch == self.count
        if watched:
            self.before = self.paths()
        try:
            return function(*args, **kwargs)
        except cj.PropValidationError as error:
            if watched:
                self.after = self.paths()
            raise Refused(self.count, label, error, self.before, self.after) from error


@dataclass
class Built:
    """What ``build`` made: the app, the composition's stack and the library calls."""

    app: App
    stack: Stack
    steps: Steps
    #: The default key of each brought SSE-KMS bucket, by name (a string or an IKey).
    bucket_keys: dict[str, Any]


def _stack(app: App, composition: Mapping[str, str]) -> tuple[Stack, Construct]:
    """(the stack the library's constructs go in, the scope of the platform's own)."""
    env = environment(composition)
    place = composition["place"]
    if place == "stage":
        stack = Stack(Stage(app, STAGE, env=env), STACK)
        return stack, Construct(stack, "Platform")
    if place == "nested":
        parent = Stack(app, PARENT, env=env)
        return NestedStack(parent, STACK), Construct(parent, "Platform")
    stack = Stack(app, STACK, env=env)
    return stack, Construct(stack, "Platform")


class _Composer:
    """Writes one composition, as a user would."""

    def __init__(
        self, composition: Mapping[str, str], stack: Stack, platform: Construct, steps: Steps
    ):
        self.c = composition
        self.stack = stack
        self.platform = platform
        self.steps = steps
        self.w = where(composition)
        #: What the composition made or brought once and shares (keys, network, role...).
        self._made: dict[str, Any] = {}
        self._buckets: dict[str, s3.IBucket] = {}
        #: The default key of each brought SSE-KMS bucket, by name: a string or an IKey.
        self.bucket_keys: dict[str, Any] = {}

    # -- what the platform brings ------------------------------------------------------

    def key(self, use: str) -> Any:
        """The volume or output key as the composition gives it (None: made or none)."""
        form = self.c[f"{use}_key"]
        w = self.w
        if form in ("made", "none"):
            return None
        if form == "same_app":
            if use not in self._made:
                self._made[use] = kms.Key(
                    self.platform, f"{use.title()}Key", enable_key_rotation=True
                )
            return self._made[use]
        return {
            "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab",
            "alias": "alias/comprehend-results",
            "alias_arn": w.arn("kms", "alias/comprehend-results"),
            "foreign_arn": w.key_arn(
                "0f0e0d0c-0b0a-0908-0706-050403020100", account=FOREIGN_ACCOUNT
            ),
        }[form]

    def log_key(self) -> kms.IKey | None:
        """The log key as the composition gives it (None: the library makes it)."""
        form = self.c["log_key"]
        if form == "made":
            return None
        if "log" not in self._made:
            scope, w = self.platform, self.w
            self._made["log"] = {
                "same_app": lambda: kms.Key(scope, "LogKey", enable_key_rotation=True),
                "imported": lambda: kms.Key.from_key_arn(
                    scope, "ImportedLogKey", w.key_arn("7e7e7e7e-1111-2222-3333-444455556666")
                ),
                "alias": lambda: kms.Alias.from_alias_name(scope, "LogKeyAlias", "alias/logs"),
                "foreign": lambda: kms.Key.from_key_arn(
                    scope,
                    "ForeignLogKey",
                    w.key_arn("7f7f7f7f-1111-2222-3333-444455556666", account=FOREIGN_ACCOUNT),
                ),
            }[form]()
        key: kms.IKey = self._made["log"]
        return key

    def input_key(self) -> Any:
        """The brought input's key as ``input_key`` gives it: a string for
        ``input_bucket_key``, an IKey for a bucket object's ``encryption_key``."""
        form, w, scope = self.c["input_key"], self.w, self.platform
        if "input" in self._made:
            return self._made["input"]
        as_object = self.c["input"] == "bucket_key"
        key: Any
        if form == "same_app":
            key = kms.Key(scope, "LakeKey", enable_key_rotation=True)
        elif form == "alias":
            key = (
                kms.Alias.from_alias_name(scope, "LakeKeyAlias", LAKE_ALIAS)
                if as_object
                else LAKE_ALIAS
            )
        else:
            text = {
                "arn": w.key_arn(LAKE_KEY_ID),
                "key_id": LAKE_KEY_ID,
                "alias_arn": w.arn("kms", LAKE_ALIAS),
                "foreign_arn": w.key_arn(LAKE_KEY_ID, account=FOREIGN_ACCOUNT),
            }[form]
            key = kms.Key.from_key_arn(scope, "LakeKey", text) if as_object else text
        self._made["input"] = key
        # The lake's default encryption, as its owner set it: this key.
        self.bucket_keys[LAKE_KMS] = key
        return key

    def flow_log_key(self) -> kms.IKey | None:
        """The made network's flow-log key as ``flow_log_key`` gives it (None: not given)."""
        form, scope, w = self.c["flow_log_key"], self.platform, self.w
        if form == "default":
            return None
        if form == "log_key":
            brought = self.log_key()
            if brought is not None:
                return brought
            handler = self.steps.call("JobHandler.of", cj.JobHandler.of, self.stack)
            key: kms.IKey = handler.log_key
            return key
        if form == "same_app":
            return kms.Key(scope, "FlowLogKey", enable_key_rotation=True)
        account = FOREIGN_ACCOUNT if form == "foreign" else ACCOUNT
        arn = w.key_arn("7d7d7d7d-1111-2222-3333-444455556666", account=account)
        return kms.Key.from_key_arn(scope, "FlowLogKey", arn)

    def bucket(self, which: str) -> s3.IBucket | None:
        """A brought bucket object for ``input``/``output`` (None for the other forms)."""
        form = self.c[which]
        if form not in ("bucket", "bucket_key"):
            return None
        name = {
            ("input", "bucket"): LAKE_PLAIN,
            ("input", "bucket_key"): LAKE_KMS,
            ("output", "bucket"): RESULTS_PLAIN,
            ("output", "bucket_key"): RESULTS_KMS,
        }[(which, form)]
        if name not in self._buckets:
            bucket_id = f"{which.title()}Bucket"
            if form == "bucket":
                self._buckets[name] = s3.Bucket.from_bucket_name(self.platform, bucket_id, name)
            else:
                if which == "input":
                    key = self.input_key()
                else:
                    arn = self.w.key_arn(RESULTS_KEY_ID)
                    key = kms.Key.from_key_arn(self.platform, "ResultsKey", arn)
                    self.bucket_keys[RESULTS_KMS] = arn
                self._buckets[name] = s3.Bucket.from_bucket_attributes(
                    self.platform, bucket_id, bucket_name=name, encryption_key=key
                )
        return self._buckets[name]

    def location_props(self) -> dict[str, Any]:
        """The storage props the input and output forms give (pattern or JobStorage)."""
        props: dict[str, Any] = {}
        if self.c["input"] == "uri":
            props["input_s3_uri"] = f"s3://{LAKE_PLAIN}/incoming/"
        elif self.c["input"] == "name_key":
            props["input_s3_uri"] = f"s3://{LAKE_KMS}/incoming/"
            props["input_bucket_key"] = self.input_key()
        if self.c["output"] == "uri":
            props["output_s3_uri"] = f"s3://{RESULTS_PLAIN}/results/"
        return props

    def vpc(self) -> ec2.IVpc | None:
        """The brought VPC of the network forms that bring one."""
        form = self.c["network"]
        if "vpc" in self._made:
            vpc: ec2.IVpc = self._made["vpc"]
            return vpc
        if form in ("vpc_s3", "vpc_bare"):
            endpoints = (
                {"S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)}
                if form == "vpc_s3"
                else None
            )
            self._made["vpc"] = ec2.Vpc(
                self.platform,
                "Vpc",
                nat_gateways=0,
                max_azs=2,
                subnet_configuration=[
                    ec2.SubnetConfiguration(
                        name="Jobs", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED
                    )
                ],
                gateway_endpoints=endpoints,
                restrict_default_security_group=True,
            )
        elif form == "lookup":
            self._made["vpc"] = ec2.Vpc.from_lookup(self.platform, "LookedUpVpc", vpc_id=VPC_ID)
        else:
            return None
        vpc = self._made["vpc"]
        return vpc

    # -- the library ---------------------------------------------------------------------

    def model_props(self) -> dict[str, Any]:
        """The model source of custom jobs (pattern props and job props alike)."""
        model, w = self.c["model"], self.w
        recognizer = w.arn("comprehend", "entity-recognizer/claims/version/v1")
        classifier = w.arn("comprehend", "document-classifier/mail/version/v1")
        flywheel = w.arn("comprehend", "flywheel/claims")
        return {
            "recognizer": {"recognizer_arn": recognizer},
            "classifier": {"classifier_arn": classifier},
            "flywheel_entities": {"flywheel_arn": flywheel},
            "flywheel_classifier": {"flywheel_arn": flywheel},
        }.get(model, {})

    def network(self) -> Any:
        """The blocks' network (an IJobNetwork, or None)."""
        form = self.c["network"]
        if form == "none":
            return None
        if "network" in self._made:
            return self._made["network"]
        if form == "made":
            flow_log_key = self.flow_log_key()
            props = {} if flow_log_key is None else {"flow_log_key": flow_log_key}
            network = self.steps.call("JobNetwork", cj.JobNetwork, self.stack, "Network", **props)
        elif form == "from_ids":
            network = self.steps.call(
                "JobNetwork.from_ids",
                cj.JobNetwork.from_ids,
                self.stack,
                "Network",
                subnet_ids=list(SUBNET_IDS),
                security_group_ids=[SECURITY_GROUP_ID],
            )
        else:
            network = self.steps.call(
                "JobNetwork", cj.JobNetwork, self.stack, "Network", existing_vpc=self.vpc()
            )
        self._made["network"] = network
        return network

    def pattern_network(self) -> Any:
        """The pattern's ``network=``: a bool, or a network of the user's."""
        form = self.c["network"]
        if form in ("none", "made"):
            return form == "made"
        return self.network()

    def encryption(self, index: int) -> Any:
        """A JobEncryption of the two key forms, or None when neither key is sent."""
        volume, output = self.c["volume_key"], self.c["output_key"]
        if volume == "none" and output == "none":
            return None
        if "encryption" in self._made:
            return self._made["encryption"]
        encryption = self.steps.call(
            "JobEncryption",
            cj.JobEncryption,
            self.stack,
            f"Keys{index}" if index else "Keys",
            volume_encryption=volume != "none",
            output_encryption=output != "none",
            existing_volume_key=self.key("volume"),
            existing_output_key=self.key("output"),
        )
        self._made["encryption"] = encryption
        return encryption

    def documents(self, index: int) -> str | None:
        """The documents the ``index``-th job's storage uploads."""
        if self.c["uploads"] == "0":
            return None
        # A second job uploads again only into an input location of its own.
        return DOCUMENTS if index == 0 or self.c["form"] == "pattern" else None

    def storage(self, index: int, encryption: Any) -> Any:
        """A JobStorage of the input and output forms (blocks, or a pattern given one)."""
        props = self.location_props()
        for which in ("input", "output"):
            bucket = self.bucket(which)
            if bucket is not None:
                props[f"existing_{which}_bucket"] = bucket
        documents = self.documents(index)
        if documents is not None:
            props["input_documents"] = documents
        return self.steps.call(
            "JobStorage.from_s3_uris",
            cj.JobStorage.from_s3_uris,
            self.stack,
            f"Storage{index}" if index else "Storage",
            encryption=encryption,
            **props,
        )

    def role(self, index: int, storage: Any, encryption: Any, network: Any) -> Any:
        """The blocks' DataAccessRole for the ``index``-th job."""
        form = self.c["role"]
        if form == "imported":
            if "role" not in self._made:
                self._made["role"] = self.steps.call(
                    "DataAccessRole.from_role_arn",
                    cj.DataAccessRole.from_role_arn,
                    self.stack,
                    "ImportedRole",
                    f"arn:{self.w.partition}:iam::{ACCOUNT}:role/ComprehendDataAccess",
                )
            return self._made["role"]
        if form == "shared" and "role" in self._made:
            return self._made["role"]
        role = self.steps.call(
            "DataAccessRole",
            cj.DataAccessRole,
            self.stack,
            "SharedRole" if form == "shared" else f"Role{index}",
            storage=storage,
            encryption=encryption,
            network=network,
        )
        if form == "shared":
            self._made["role"] = role
        return role

    def job(self, index: int) -> None:
        """The ``index``-th job of the building blocks."""
        encryption = self.encryption(0)
        network = self.network()
        if "storage" not in self._made:
            self._made["storage"] = self.storage(0, encryption)
        storage = self._made["storage"]
        role = self.role(index, storage, encryption, network)
        model = self.c["model"]
        job_class: Any = {
            "recognizer": cj.EntityRecognitionJob,
            "flywheel_entities": cj.EntityRecognitionJob,
            "classifier": cj.DocumentClassificationJob,
            "flywheel_classifier": cj.DocumentClassificationJob,
            "language": cj.DominantLanguageDetectionJob,
            "key_phrases": cj.KeyPhrasesDetectionJob,
            "sentiment": cj.SentimentDetectionJob,
            "targeted_sentiment": cj.TargetedSentimentDetectionJob,
            "pii": cj.PiiEntitiesDetectionJob,
            "topics": cj.TopicsDetectionJob,
            "events": cj.EventsDetectionJob,
        }[model]
        props: dict[str, Any] = {
            **self.model_props(),
            "storage": storage,
            "role": role,
            "wait_for_completion": self.c["wait"] == "yes",
        }
        if encryption is not None:
            props["encryption"] = encryption
        if network is not None:
            props["network"] = network
        if model == "events":
            props["target_event_types"] = ["BANKRUPTCY", "EMPLOYMENT"]
        if model == "topics":
            props["number_of_topics"] = 10
        self.steps.call(job_class.__name__, job_class, self.stack, f"Job{index}", **props)

    def analysis(self, index: int) -> None:
        """The ``index``-th ComprehendAnalysis."""
        c = self.c
        props: dict[str, Any] = {
            **self.model_props(),
            "network": self.pattern_network(),
            "wait_for_completion": c["wait"] == "yes",
        }
        if c["model"] == "flywheel_entities":
            props["flywheel_model_type"] = "ENTITY_RECOGNIZER"
        if c["model"] == "flywheel_classifier":
            props["flywheel_model_type"] = "DOCUMENT_CLASSIFIER"
        log_key = self.log_key()
        if log_key is not None:
            props["log_key"] = log_key
        volume, output = c["volume_key"], c["output_key"]
        if "none" in (volume, output):
            props["encryption"] = self.encryption(index) or False
        else:
            for use in ("volume", "output"):
                key = self.key(use)
                if key is not None:
                    props[f"{use}_key"] = key
        if c["input"] in ("bucket", "bucket_key") or c["output"] in ("bucket", "bucket_key"):
            props["storage"] = self.storage(index, props.get("encryption") or None)
        else:
            props.update(self.location_props())
            documents = self.documents(index)
            if documents is not None:
                props["input_documents"] = documents
        if c["role"] != "made":
            props["role"] = self.role(index, None, None, None)
        self.steps.call(
            "ComprehendAnalysis", cj.ComprehendAnalysis, self.stack, f"Analysis{index}", **props
        )

    def build(self) -> None:
        """Every part, in the order a user writes them."""
        log_key = self.log_key()
        if log_key is not None:
            # First, as JobHandler.use_log_key says: a part made before it (a storage
            # uploading documents) would otherwise make the handler with a key of its own.
            self.steps.call(
                "JobHandler.use_log_key", cj.JobHandler.use_log_key, self.stack, log_key
            )
        for index in range(int(self.c["jobs"])):
            if self.c["form"] == "pattern":
                self.analysis(index)
            else:
                self.job(index)
        if self.c["uploads"] == "2":
            self.steps.call(
                "JobStorage",
                cj.JobStorage,
                self.stack,
                "MoreDocuments",
                input_documents=MORE_DOCUMENTS,
            )


def build(composition: Mapping[str, str], app: App, *, watch: int | None = None) -> Built:
    """Build ``composition`` in ``app`` (raises ``Refused`` when the library refuses it)."""
    stack, platform = _stack(app, composition)
    steps = Steps(app, watch=watch)
    composer = _Composer(composition, stack, platform, steps)
    composer.build()
    return Built(app, stack, steps, composer.bucket_keys)
