"""``ComprehendAnalysis``: the whole stack for one custom analysis job, in one line.

Composes the building blocks with secure defaults: KMS keys (rotation on), encrypted and
logged buckets, a VPC with isolated subnets and no NAT gateway, a least-privilege
DataAccessRole, and the job itself. Every part can be switched off (``network=False``,
``encryption=False``) or replaced by one the caller made, and every part made is exposed.
The console's forms are props too: documents already in S3 as ``input_s3_uri=``, results
as ``output_s3_uri=``, a flywheel as ``flywheel_arn=``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from comprehend_jobs._private import checked_job, job_rules
from comprehend_jobs._private.checked_job import CheckedJobProps, ModelSource
from comprehend_jobs._private.document_rules import check_document_files
from comprehend_jobs._private.key_rules import resolve_key
from comprehend_jobs._private.prefix_rules import (
    OBJECT_KEY_ALLOWED,
    is_object_key,
    prefix_problem,
    suggest_prefix,
)
from comprehend_jobs._private.s3_uris import S3Location, parse_s3_uri
from comprehend_jobs._private.validation import Problems, construct_label
from comprehend_jobs.data_access_role import DataAccessRole
from comprehend_jobs.encryption import JobEncryption
from comprehend_jobs.input_options import DocumentReader, InputFormat
from comprehend_jobs.interfaces import IDataAccessRole, IJobEncryption, IJobNetwork, IJobStorage
from comprehend_jobs.job_handler import JobHandler
from comprehend_jobs.job_types import DOCUMENT_CLASSIFICATION, ENTITIES_DETECTION, JobType
from comprehend_jobs.jobs import AnalysisJob, DocumentClassificationJob, EntityRecognitionJob
from comprehend_jobs.network import JobNetwork
from comprehend_jobs.storage import JobStorage

__all__ = [
    "ComprehendAnalysis",
]

#: A flywheel's model type (the API's ``ModelType``) -> the job the pattern starts with it.
_FLYWHEEL_JOB_TYPES: dict[str, JobType] = {
    "ENTITY_RECOGNIZER": ENTITIES_DETECTION,
    "DOCUMENT_CLASSIFIER": DOCUMENT_CLASSIFICATION,
}


class ComprehendAnalysis(Construct):
    """One custom entity recognition or custom classification job and everything it needs.

    ``ComprehendAnalysis(self, "Tickets", recognizer_arn=ARN, input_documents="docs")``
    makes the keys, the buckets, the VPC, the role and the job, and uploads the documents
    before the job starts. Give exactly one model source: ``recognizer_arn``,
    ``classifier_arn``, or ``flywheel_arn`` with ``flywheel_model_type``. Documents already
    in S3: ``input_s3_uri="s3://bucket/prefix/"`` (and ``output_s3_uri=``), as the
    console shows them.

    The props use the job constructs' names (``recognizer_arn=``, ``network=``, as in
    ``EntityRecognitionJob``). Every prop, the job's included, is checked before any part
    is made; the job is then built from those checked props, not checked again.

    :param recognizer_arn: start a custom entity recognition job with this recognizer
        (optionally ``/version/V``). Default: None (give exactly one of ``recognizer_arn``,
        ``classifier_arn`` and ``flywheel_arn``).
    :param classifier_arn: start a custom classification job with this classifier
        (optionally ``/version/V``). Default: None (give exactly one model source).
    :param flywheel_arn: start the job with this flywheel's active model version
        (``arn:aws:comprehend:<region>:<account>:flywheel/<name>``). A flywheel trains
        either kind of model and its ARN does not say which, so ``flywheel_model_type``
        is needed too. Default: None (give exactly one model source).
    :param flywheel_model_type: the flywheel's ``ModelType``, as the console and
        ``aws comprehend describe-flywheel`` show it: ``"ENTITY_RECOGNIZER"`` starts a
        custom entity recognition job, ``"DOCUMENT_CLASSIFIER"`` a custom classification
        job. Only with ``flywheel_arn``. Default: None (required with ``flywheel_arn``).
    :param input_s3_uri: where the documents already are, as the console shows it:
        ``s3://<existing bucket>/<prefix>/`` (the prefix ends in ``/``; none for the whole
        bucket). The job reads exactly that location and the role may read only it; no
        input bucket is made. With ``input_documents`` the documents are uploaded there
        first (nothing there is deleted). Not with ``storage``. Default: None (a new input
        bucket, filled from ``input_documents``).
    :param output_s3_uri: where the results go, ``s3://<existing bucket>/<prefix>/``
        (not overlapping ``input_s3_uri``); the role may write only there and no output
        bucket is made. Not with ``storage``. Default: None (a new output bucket).
    :param encryption: ``True`` creates a volume key and an output key; ``False`` sends
        no job keys (no ``VolumeKmsKeyId``, no output ``KmsKeyId``), but the created
        buckets stay SSE-KMS with a key of the storage's own and the logs keep the log
        key; or keys of yours, an ``IJobEncryption`` (``JobEncryption(...)``). A bool, not
        a string. Default: True.
    :param volume_key: the job's volume key (``VolumeKmsKeyId``), as the console's "Job
        encryption" field takes it: a key ID (this account), a key ARN, or an ``IKey``
        (no alias: the API takes none for the volume). Kept at the path of the key the
        pattern makes otherwise (``Encryption``). Not with ``encryption=False`` or an
        ``IJobEncryption``. Default: None (a new volume key, rotation on).
    :param output_key: the results' key (``OutputDataConfig.KmsKeyId``): a key ID or
        ``alias/NAME`` (this account), a key ARN or alias ARN, or an ``IKey``. Not with
        ``encryption=False`` or an ``IJobEncryption``. Default: None (a new output key,
        rotation on, which also encrypts the buckets the pattern makes).
    :param input_bucket_key: the KMS key that encrypts the objects at ``input_s3_uri``
        (SSE-KMS): a key ID or alias (this account), a key ARN or alias ARN, or an
        ``IKey``. The role gets ``kms:Decrypt`` on it through S3 only
        (``kms:ViaService``); a key of another account must also allow the role in its
        key policy. Only with ``input_s3_uri``. Default: None (the input objects are not
        encrypted with a customer managed key).
    :param network: ``True`` runs the job in a new VPC (isolated subnets, S3 gateway
        endpoint, no NAT gateway); ``False`` runs it outside any VPC; or a network of
        yours, an ``IJobNetwork`` (``JobNetwork(...)``, ``JobNetwork.from_ids(...)``). A
        bool, not a string. Default: True.
    :param storage: storage of yours, an ``IJobStorage`` (``JobStorage(...)`` on buckets
        of yours, ``JobStorage.from_s3_uris(...)``). Not with ``input_s3_uri`` or
        ``output_s3_uri``. Default: new input, output and access-log buckets (only those
        ``input_s3_uri`` and ``output_s3_uri`` leave to make).
    :param role: a role of yours, an ``IDataAccessRole`` (``DataAccessRole(...)``,
        ``DataAccessRole.from_role_arn(...)``). Default: a new one with exactly the access
        the job needs.
    :param input_documents: upload these to the input location before the job starts: a
        local folder path or ``aws_s3_deployment`` sources. New or changed documents start
        a new job on the next deploy. Required when the pattern makes the input bucket (a
        job on a new, empty bucket would find nothing). Default: nothing uploaded.
    :param removal_policy: for the buckets and keys the pattern makes; an error when it
        makes no bucket (``storage``, or both ``input_s3_uri`` and ``output_s3_uri``).
        Default: RETAIN.
    :param log_key: a KMS key of yours for the library's own log groups (the handler's,
        the Provider framework's, the upload's, the VPC flow logs) and its functions'
        environments, instead of the key the library makes (``ComprehendJobsHandler/
        LogKey``); see ``JobHandler.use_log_key`` for what its key policy must allow. One
        key per stack: every ``ComprehendAnalysis`` of the stack must give the same key,
        and the first must come before any other job of the stack. Default: the library
        makes a key (rotation on; retained when the pattern makes a VPC, whose flow logs
        are retained).
    :param input_format: ``ONE_DOC_PER_FILE`` or ``ONE_DOC_PER_LINE``. Default: the
        service's (one document per line); ``ONE_DOC_PER_FILE`` is required with
        ``document_reader``.
    :param document_reader: how PDF, Word and image input is read (Textract). Default:
        the service's defaults.
    :param language_code: the documents' language (entity recognition only). Default:
        ``en``.
    :param job_name: the job's name (1-256 characters: letters, numbers, spaces and
        ``_.:/=+-%@``). Default: derived from the stack and the logical ID.
    :param tags: tags for the job (at most 49: the library tags each job with its key).
        Default: none.
    :param wait_for_completion: the deployment waits until the job ends (at most 1 hour).
        A bool. Default: False.
    :param stop_on_delete: stop a running job when the resource is deleted (classification
        jobs cannot be stopped: the API has no Stop). A bool. Default: True.
    :param rerun_token: change it to start the job again with the same request. Default:
        none (only a changed request or changed ``input_documents`` start a new job).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        recognizer_arn: str | None = None,
        classifier_arn: str | None = None,
        flywheel_arn: str | None = None,
        flywheel_model_type: Literal["ENTITY_RECOGNIZER", "DOCUMENT_CLASSIFIER"] | None = None,
        input_s3_uri: str | None = None,
        output_s3_uri: str | None = None,
        encryption: bool | IJobEncryption = True,
        volume_key: kms.IKey | str | None = None,
        output_key: kms.IKey | str | None = None,
        input_bucket_key: kms.IKey | str | None = None,
        network: bool | IJobNetwork | None = None,
        storage: IJobStorage | None = None,
        role: IDataAccessRole | None = None,
        input_documents: str | Sequence[s3deploy.ISource] | None = None,
        removal_policy: RemovalPolicy | None = None,
        log_key: kms.IKey | None = None,
        input_format: InputFormat | str | None = None,
        document_reader: DocumentReader | None = None,
        language_code: str | None = None,
        job_name: str | None = None,
        tags: Mapping[str, str] | None = None,
        wait_for_completion: bool = False,
        stop_on_delete: bool = True,
        rerun_token: str | None = None,
    ) -> None:
        problems = Problems(lambda: construct_label("ComprehendAnalysis", scope, id))
        network = True if network is None else network
        # A switch, or a part of the caller's (any object with the interface's members).
        for prop, part, interface, fix in (
            (
                "network",
                network,
                IJobNetwork,
                "pass network=JobNetwork(...), JobNetwork.from_ids(...), True or False",
            ),
            ("encryption", encryption, IJobEncryption, "pass JobEncryption(...), True or False"),
        ):
            if isinstance(part, str | int | float):
                problems.check_bool(prop, part, also=f"or an {interface.__name__}")
            elif not isinstance(part, bool):
                problems.check_interface(prop, part, interface, fix)
        problems.check_bool("wait_for_completion", wait_for_completion)
        problems.check_bool("stop_on_delete", stop_on_delete)
        if storage is not None:
            problems.check_interface(
                "storage",
                storage,
                IJobStorage,
                "pass JobStorage(...) or JobStorage.from_s3_uris(...), or omit it",
            )
        if role is not None:
            problems.check_interface(
                "role",
                role,
                IDataAccessRole,
                "pass DataAccessRole(...) or DataAccessRole.from_role_arn(...), or omit it",
            )
        models = {
            "recognizer_arn": ("EntityRecognizerArn", recognizer_arn),
            "classifier_arn": ("DocumentClassifierArn", classifier_arn),
            "flywheel_arn": ("FlywheelArn", flywheel_arn),
        }
        # Everything the job checks is checked here, once, before any part is made; the
        # job is built from the result (``checked``) and runs no rule again.
        source = job_rules.check_model_source(problems, models)
        job_type = _job_type(problems, source, flywheel_arn, flywheel_model_type)
        checked: CheckedJobProps | None = None
        if source is not None and job_type is not None:
            checked = job_rules.check_job_props(
                problems,
                job_type=job_type,
                scope=scope,
                in_vpc=network is not False,
                job_name=job_name,
                tags=tags,
                input_format=input_format,
                document_reader=document_reader,
                language_code=(language_code or "en") if job_type is ENTITIES_DETECTION else None,
                model_source=source,
                stop_on_delete=stop_on_delete,
                wait_for_completion=wait_for_completion,
                rerun_token=rerun_token,
            )
        if language_code is not None and job_type is DOCUMENT_CLASSIFICATION:
            problems.add(
                "language_code",
                language_code,
                "classification jobs take no language (the classifier's is used)",
                "remove language_code=",
            )
        if isinstance(input_documents, str) and not Path(input_documents).is_dir():
            problems.add(
                "input_documents",
                input_documents,
                "a folder that exists, or s3deploy sources",
                "create the folder, or pass the path of the documents' folder",
            )
        elif isinstance(input_documents, str) and job_type is not None:
            check_document_files(
                problems,
                "input_documents",
                input_documents,
                job_type.stem,
                getattr(input_format, "value", input_format) or "ONE_DOC_PER_FILE",
            )
        elif isinstance(input_documents, list | tuple) and any(
            isinstance(d, str) for d in input_documents
        ):
            # Paths in a list: one folder is a string, sources are s3deploy objects.
            paths = [d for d in input_documents if isinstance(d, str)]
            problems.add(
                "input_documents",
                input_documents,
                "a folder (a string), or a list of aws_s3_deployment sources",
                f"use input_documents={paths[0]!r}"
                if len(paths) == 1 == len(input_documents)
                else f"use input_documents=[s3deploy.Source.asset(p) for p in {paths!r}]",
            )
        locations = _check_s3_uris(problems, input_s3_uri, output_s3_uri, storage is not None)
        if storage is not None and removal_policy is not None:
            problems.add(
                "removal_policy",
                removal_policy,
                "removal_policy applies to the buckets the pattern makes; with storage= it "
                "makes none",
                "set the removal policy on your JobStorage instead",
            )
        elif removal_policy is not None and input_s3_uri is not None and output_s3_uri is not None:
            problems.add(
                "removal_policy",
                removal_policy,
                "removal_policy applies to the buckets the pattern makes; with input_s3_uri "
                "and output_s3_uri it makes none (the buckets named there are yours)",
                "drop removal_policy=",
            )
        problems.check_removal_policy(removal_policy)
        if log_key is not None and problems.check_key_object("log_key", log_key):
            JobHandler.check_log_key(problems, scope, log_key, prop="log_key")
        _check_keys(
            problems,
            Stack.of(scope),
            encryption,
            {"volume_key": volume_key, "output_key": output_key},
            input_bucket_key,
            with_input_uri=input_s3_uri is not None and storage is None,
        )
        if storage is None and input_s3_uri is None and input_documents is None and not problems:
            # No doomed job: one started on a bucket made in this deploy and left empty
            # finds nothing and ends with no results (only checked once the other props
            # are right, so that it is not the first thing a mistyped prop reports). A
            # brought storage may still get documents later: the job checks it at synth.
            problems.add(
                "input_documents",
                None,
                "documents to upload when the pattern makes the input bucket: a job started "
                "on a new, empty bucket finds nothing",
                "pass input_documents='path/to/folder' (uploaded before the job starts), or "
                "input_s3_uri='s3://your-bucket/your/prefix/' where your documents already are",
            )
        problems.raise_if_any()
        # Without a problem there is a model source and a job type, so the job's props
        # were checked.
        assert checked is not None
        super().__init__(scope, id)
        if log_key is not None:
            JobHandler.use_log_key(self, log_key)

        #: The keys, or None with ``encryption=False``.
        self.encryption: IJobEncryption | None
        if encryption is True:
            # Keys given as props join the keys the pattern makes at the same path, so a
            # key it still makes keeps its logical ID.
            self.encryption = JobEncryption(
                self,
                "Encryption",
                existing_volume_key=volume_key,
                existing_output_key=output_key,
                # Only for keys it makes (with both brought it makes none).
                removal_policy=removal_policy if volume_key is None or output_key is None else None,
            )
        elif encryption is False:
            self.encryption = None
        else:
            self.encryption = encryption
        #: The input and output locations: ``storage``, or the pattern's (with the buckets
        #: it made, and those ``input_s3_uri`` and ``output_s3_uri`` name).
        self.storage: IJobStorage
        if storage is not None:
            self.storage = storage
        elif locations:
            self.storage = JobStorage.from_s3_uris(
                self,
                "Storage",
                input_s3_uri=input_s3_uri,
                output_s3_uri=output_s3_uri,
                encryption=self.encryption,
                removal_policy=removal_policy,
                **({} if input_bucket_key is None else {"input_bucket_key": input_bucket_key}),
            )
        else:
            self.storage = JobStorage(
                self, "Storage", encryption=self.encryption, removal_policy=removal_policy
            )
        #: Where the job runs, or None with ``network=False``.
        self.network: IJobNetwork | None
        if network is False:
            self.network = None
        elif network is not True:
            self.network = network
        else:
            # Flow logs share the handler's log key: one key for all the stack's logs.
            handler = JobHandler.of(self)
            self.network = JobNetwork(self, "Network", flow_log_key=handler.log_key)
            # The flow-log group is retained (JobNetwork's default) when the stack is
            # deleted; were its key deleted with the stack, the logs kept would be
            # unreadable. So the handler's own key is retained too (a brought key's
            # removal policy is its owner's).
            handler.retain_log_key()
        #: The role Comprehend assumes for the job.
        self.role: IDataAccessRole
        if role is None:
            self.role = DataAccessRole(
                self,
                "DataAccessRole",
                storage=self.storage,
                encryption=self.encryption,
                network=self.network,
            )
        else:
            # A role of yours (perhaps shared with other analyses) gets exactly what the
            # pattern's own role would: the job reads, writes and uses the keys and the
            # VPC as this role. An imported role's grants are dropped, and it warns at
            # synth naming the statements its owner must add (a stack output).
            self.role = role
            role.grant_storage(self.storage)
            if self.encryption is not None:
                role.grant_keys(self.encryption)
            if self.network is not None:
                role.grant_vpc_access()
        #: The upload of ``input_documents`` (the storage's ``InputDocuments``), or None.
        self.upload: s3deploy.BucketDeployment | None = None
        if input_documents is not None:
            # The storage uploads them, as it does for any job: the job waits for the
            # upload, and new or changed documents start it again (their content hashes
            # are in its RerunToken).
            self.upload = self.storage.add_input_documents(input_documents)

        #: The job construct.
        self.job: AnalysisJob = checked_job.start_checked_job(
            EntityRecognitionJob
            if checked.job_type is ENTITIES_DETECTION
            else DocumentClassificationJob,
            self,
            "Job",
            checked,
            storage=self.storage,
            role=self.role,
            encryption=self.encryption,
            network=self.network,
        )


def _job_type(
    problems: Problems,
    source: ModelSource | None,
    flywheel_arn: str | None,
    flywheel_model_type: object,
) -> JobType | None:
    """The job the model source starts; a flywheel's comes from ``flywheel_model_type``,
    since its ARN does not say which kind of model it trains (and synth cannot ask)."""
    allowed = " or ".join(repr(t) for t in _FLYWHEEL_JOB_TYPES)
    if flywheel_arn is None:
        if flywheel_model_type is not None:
            problems.add(
                "flywheel_model_type",
                flywheel_model_type,
                "only with flywheel_arn (a recognizer or classifier ARN says which job to start)",
                "drop flywheel_model_type=",
            )
    elif source is not None and flywheel_model_type not in _FLYWHEEL_JOB_TYPES:
        meant = str(flywheel_model_type).strip().upper().replace("-", "_").replace(" ", "_")
        problems.add(
            "flywheel_model_type",
            flywheel_model_type,
            f"{allowed} with flywheel_arn: a flywheel trains either kind of model and its "
            "ARN does not say which, so the pattern cannot tell which job to start",
            f"use flywheel_model_type={meant!r}"
            if meant in _FLYWHEEL_JOB_TYPES
            else "pass flywheel_model_type='ENTITY_RECOGNIZER' (custom entity recognition) "
            "or 'DOCUMENT_CLASSIFIER' (custom classification): the flywheel's ModelType in "
            "the console, or from aws comprehend describe-flywheel --flywheel-arn ARN",
        )
        return None
    if source is None:
        return None
    if source.field == "FlywheelArn":
        return _FLYWHEEL_JOB_TYPES[str(flywheel_model_type)]
    return ENTITIES_DETECTION if source.field == "EntityRecognizerArn" else DOCUMENT_CLASSIFICATION


def _check_s3_uris(
    problems: Problems, input_s3_uri: object, output_s3_uri: object, with_storage: bool
) -> dict[str, S3Location]:
    """The locations ``input_s3_uri`` and ``output_s3_uri`` name ("input"/"output" -> its
    location), each checked as ``JobStorage`` would check its bucket and prefix, but named
    as the pattern's props, before anything is made."""
    uris = {"input": input_s3_uri, "output": output_s3_uri}
    locations: dict[str, S3Location] = {}
    for which, uri in uris.items():
        if uri is None:
            continue
        prop = f"{which}_s3_uri"
        if with_storage:
            problems.add(
                prop,
                uri,
                f"{prop} or storage=, not both: {prop} makes the pattern's storage on that "
                "location, and storage= brings one with locations of its own",
                f"drop storage= and keep {prop}= (the pattern makes what else the job "
                f"needs), or drop {prop}= and build your storage on it "
                f"(JobStorage.from_s3_uris(scope, 'Storage', {prop}=...))",
            )
            continue
        location = parse_s3_uri(problems, prop, uri)
        if location is None:
            continue
        # One input object is a valid input location too ("can point to a single file").
        single = which == "input" and is_object_key(location.prefix)
        why = None if single else prefix_problem(location.prefix)
        if why:
            fixed = S3Location(location.bucket, suggest_prefix(location.prefix, f"{which}/"))
            also = f", {OBJECT_KEY_ALLOWED}" if which == "input" else ""
            problems.add(
                prop,
                uri,
                "an S3 URI whose key prefix ends in '/' (or no key, for the whole bucket)"
                f"{also}; this one's prefix {why}",
                f"use {prop}={fixed.uri!r}",
            )
            continue
        locations[which] = location
    source, sink = locations.get("input"), locations.get("output")
    if (
        source is not None
        and sink is not None
        and source.bucket == sink.bucket
        and (source.prefix.startswith(sink.prefix) or sink.prefix.startswith(source.prefix))
    ):
        problems.add(
            "output_s3_uri",
            output_s3_uri,
            f"a location that does not overlap input_s3_uri={source.uri!r} (the job would "
            "read its own output)",
            f"use separate prefixes, e.g. input_s3_uri='s3://{source.bucket}/input/' and "
            f"output_s3_uri='s3://{source.bucket}/output/'",
        )
    return locations


def _check_keys(
    problems: Problems,
    stack: Stack,
    encryption: object,
    job_keys: dict[str, kms.IKey | str | None],
    input_bucket_key: kms.IKey | str | None,
    *,
    with_input_uri: bool,
) -> None:
    """Check the console's key fields (``volume_key``, ``output_key``,
    ``input_bucket_key``) in the pattern's own prop names, before anything is made."""
    for prop, key in job_keys.items():
        if key is None:
            continue
        if encryption is False:
            problems.add(
                prop,
                key,
                f"no {prop} with encryption=False (it sends no job keys)",
                f"drop encryption=False to use {prop}=, or drop {prop}=",
            )
        elif encryption is not True:
            problems.add(
                prop,
                key,
                f"{prop} or encryption=, not both: encryption= brings the job's keys",
                f"give the key to your JobEncryption (existing_{prop}=...), or drop "
                f"encryption= and keep {prop}=",
            )
        else:
            resolve_key(problems, stack, prop, key, aliases=prop == "output_key")
    if input_bucket_key is None:
        return
    if not with_input_uri:
        problems.add(
            "input_bucket_key",
            input_bucket_key,
            "the key of the objects at input_s3_uri; without input_s3_uri the pattern "
            "makes the input bucket (or storage= brings it) and knows its key",
            "pass input_s3_uri='s3://your-bucket/your/prefix/' too, or drop "
            "input_bucket_key= (with storage=, give it to JobStorage.from_s3_uris)",
        )
    else:
        resolve_key(problems, stack, "input_bucket_key", input_bucket_key, aliases=True)
