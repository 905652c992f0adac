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
from typing import TYPE_CHECKING, Literal

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from constructs import Construct

from comprehend_jobs._private import analysis_rules, checked_job
from comprehend_jobs._private.validation import Problems, construct_label
from comprehend_jobs.data_access_role import DataAccessRole
from comprehend_jobs.encryption import JobEncryption
from comprehend_jobs.input_options import DocumentReader, InputFormat
from comprehend_jobs.interfaces import IDataAccessRole, IJobEncryption, IJobNetwork, IJobStorage
from comprehend_jobs.job_handler import JobHandler
from comprehend_jobs.job_types import ENTITIES_DETECTION
from comprehend_jobs.jobs import AnalysisJob, DocumentClassificationJob, EntityRecognitionJob
from comprehend_jobs.network import JobNetwork
from comprehend_jobs.storage import JobStorage

if TYPE_CHECKING:
    # Annotations only: aws_s3_deployment is loaded where documents are uploaded
    # (_private/input_documents.py), so an app that uploads none never loads it.
    from aws_cdk import aws_s3_deployment as s3deploy

__all__ = [
    "ComprehendAnalysis",
]


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
        checked = analysis_rules.check_analysis(
            problems,
            scope,
            recognizer_arn=recognizer_arn,
            classifier_arn=classifier_arn,
            flywheel_arn=flywheel_arn,
            flywheel_model_type=flywheel_model_type,
            input_s3_uri=input_s3_uri,
            output_s3_uri=output_s3_uri,
            encryption=encryption,
            volume_key=volume_key,
            output_key=output_key,
            input_bucket_key=input_bucket_key,
            network=network,
            storage=storage,
            role=role,
            input_documents=input_documents,
            removal_policy=removal_policy,
            log_key=log_key,
            input_format=input_format,
            document_reader=document_reader,
            language_code=language_code,
            job_name=job_name,
            tags=tags,
            wait_for_completion=wait_for_completion,
            stop_on_delete=stop_on_delete,
            rerun_token=rerun_token,
        )
        problems.raise_if_any()
        # Without a problem every rule passed, so there is a checked value.
        assert checked is not None
        locations = checked.locations
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
            # The flow-log group is retained (JobNetwork's default) when the stack is
            # deleted, and so is the handler's own key, with or without a VPC: leaving
            # the VPC later must not make the key deletable while the retained flow logs
            # stay under it (a brought key's removal policy is its owner's).
            handler = JobHandler.of(self)
            self.network = JobNetwork(self, "Network", flow_log_key=handler.log_key)
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
            if checked.job.job_type is ENTITIES_DETECTION
            else DocumentClassificationJob,
            self,
            "Job",
            checked.job,
            storage=self.storage,
            role=self.role,
            encryption=self.encryption,
            network=self.network,
        )
