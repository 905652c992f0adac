"""``ComprehendAnalysis``: the whole stack for one custom analysis job, in one line.

Composes the building blocks with secure defaults: KMS keys (rotation on), encrypted and
logged buckets, a VPC with isolated subnets and no NAT gateway, a least-privilege
DataAccessRole, and the job itself. Every part can be switched off (``vpc=False``,
``encryption=False``) or replaced by one the caller made, and every part made is exposed.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from comprehend_jobs._private.provider import JobHandler
from comprehend_jobs.data_access_role import DataAccessRole
from comprehend_jobs.encryption import JobEncryption
from comprehend_jobs.input_options import DocumentReader, InputFormat
from comprehend_jobs.interfaces import IDataAccessRole
from comprehend_jobs.job_types import DOCUMENT_CLASSIFICATION, ENTITIES_DETECTION
from comprehend_jobs.jobs import (
    AnalysisJob,
    DocumentClassificationJob,
    EntityRecognitionJob,
    check_job_props,
    check_model_source,
)
from comprehend_jobs.network import JobNetwork
from comprehend_jobs.storage import JobStorage
from comprehend_jobs.validation import Problems, construct_label


class ComprehendAnalysis(Construct):
    """One custom entity recognition or custom classification job and everything it needs.

    ``ComprehendAnalysis(self, "Tickets", recognizer_arn=ARN)`` makes the keys, the
    buckets, the VPC, the role and the job. Give exactly one model source.

    The props use the job constructs' names (``recognizer_arn=``, ``network=``, as in
    ``EntityRecognitionJob``); ``entity_recognizer_arn=`` and ``vpc=`` still work but are
    deprecated (a ``DeprecationWarning``).

    :param recognizer_arn: start a custom entity recognition job with this recognizer
        (optionally ``/version/V``). Default: None (give this or ``classifier_arn``).
    :param classifier_arn: start a custom classification job with this classifier.
        Default: None (give this or ``recognizer_arn``).
    :param encryption: ``True`` creates a volume key and an output key; ``False`` sends
        no job keys (no ``VolumeKmsKeyId``, no output ``KmsKeyId``), but the created
        buckets stay SSE-KMS with a key of the storage's own and the logs keep the log
        key; or an existing ``JobEncryption``. A bool, not a string. Default: True.
    :param network: ``True`` runs the job in a new VPC (isolated subnets, S3 gateway
        endpoint, no NAT gateway); ``False`` runs it outside any VPC; or an existing
        ``JobNetwork``. A bool, not a string. Default: True.
    :param entity_recognizer_arn: deprecated alias of ``recognizer_arn``. Default: None.
    :param vpc: deprecated alias of ``network``. Default: None (``network`` decides).
    :param storage: existing storage. Default: new input, output and access-log buckets.
    :param role: an existing DataAccessRole. Default: a new one with exactly the access
        the job needs.
    :param input_documents: upload these to the input prefix before the job starts: a
        local folder path or ``aws_s3_deployment`` sources. Default: nothing uploaded.
    :param removal_policy: for the buckets and keys the pattern makes. Default: RETAIN.
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
    :param tags: tags for the job (at most 50). Default: none.
    :param wait_for_completion: the deployment waits until the job ends (at most 1 hour).
        A bool. Default: False.
    :param stop_on_delete: stop a running job when the resource is deleted. A bool.
        Default: True.
    :param rerun_token: change it to start the job again. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        recognizer_arn: str | None = None,
        classifier_arn: str | None = None,
        encryption: bool | JobEncryption = True,
        network: bool | JobNetwork | None = None,
        storage: JobStorage | None = None,
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
        entity_recognizer_arn: str | None = None,
        vpc: bool | JobNetwork | None = None,
    ) -> None:
        problems = Problems(construct_label("ComprehendAnalysis", scope, id))
        # The deprecated names: still accepted, never together with the new ones.
        for old, new, old_value, new_value in (
            ("entity_recognizer_arn", "recognizer_arn", entity_recognizer_arn, recognizer_arn),
            ("vpc", "network", vpc, network),
        ):
            if old_value is None:
                continue
            warnings.warn(
                f"ComprehendAnalysis({old}=) is deprecated: use {new}= (the name the job "
                "constructs use)",
                DeprecationWarning,
                stacklevel=2,
            )
            if new_value is not None:
                problems.add(
                    old,
                    old_value,
                    f"{old} is the deprecated name of {new}, and {new} is given too",
                    f"drop {old}= and keep {new}=",
                )
        recognizer_arn = recognizer_arn if recognizer_arn is not None else entity_recognizer_arn
        network = network if network is not None else vpc
        network = True if network is None else network
        network_prop = "vpc" if vpc is not None and network is vpc else "network"
        if not isinstance(network, JobNetwork):
            problems.check_bool(network_prop, network, also="or a JobNetwork")
        if not isinstance(encryption, JobEncryption):
            problems.check_bool("encryption", encryption, also="or a JobEncryption")
        problems.check_bool("wait_for_completion", wait_for_completion)
        problems.check_bool("stop_on_delete", stop_on_delete)
        if storage is not None and not isinstance(storage, JobStorage):
            problems.add("storage", storage, "a JobStorage", "pass JobStorage(...) or omit it")
        if role is not None:
            problems.check_interface(
                "role",
                role,
                IDataAccessRole,
                "pass DataAccessRole(...) or DataAccessRole.from_role_arn(...), or omit it",
            )
        model_prop = "recognizer_arn" if entity_recognizer_arn is None else "entity_recognizer_arn"
        # Everything the job will check is checked here, before any part is made.
        source = check_model_source(
            problems,
            {
                model_prop: ("EntityRecognizerArn", recognizer_arn),
                "classifier_arn": ("DocumentClassifierArn", classifier_arn),
            },
        )
        if source is not None:
            check_job_props(
                problems,
                job_type=ENTITIES_DETECTION if recognizer_arn else DOCUMENT_CLASSIFICATION,
                in_vpc=network is not False,
                job_name=job_name,
                tags=tags,
                input_format=input_format.value if isinstance(input_format, Enum) else input_format,
                document_reader=document_reader,
                language_code=(language_code or "en") if recognizer_arn else None,
                model_source=source,
                scope=scope,
                model_prop=model_prop if recognizer_arn is not None else "classifier_arn",
            )
        if language_code is not None and classifier_arn is not None:
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
        if storage is not None and removal_policy is not None:
            problems.add(
                "removal_policy",
                removal_policy,
                "removal_policy applies to the buckets the pattern makes; with storage= it "
                "makes none",
                "set the removal policy on your JobStorage instead",
            )
        if log_key is not None:
            JobHandler.check_log_key(problems, scope, log_key, prop="log_key")
        makes_input = storage is None or (
            isinstance(storage, JobStorage) and storage.input_bucket in storage.created_buckets
        )
        if makes_input and input_documents is None and not problems:
            # No doomed job: one started on a bucket made in this deploy and left empty
            # finds nothing and ends with no results (only checked once the other props
            # are right, so that it is not the first thing a mistyped prop reports).
            problems.add(
                "input_documents",
                None,
                "documents to upload when the pattern makes the input bucket: a job started "
                "on a new, empty bucket finds nothing",
                "pass input_documents='path/to/folder' (uploaded before the job starts), or "
                "storage=JobStorage.from_s3_uris(scope, 'Storage', input_s3_uri='s3://your-"
                "bucket/your/prefix/') where your documents already are",
            )
        problems.raise_if_any()
        # The parts below still read the old local names.
        entity_recognizer_arn, vpc = recognizer_arn, network
        super().__init__(scope, id)
        if log_key is not None:
            JobHandler.use_log_key(self, log_key)

        #: The keys, or None with ``encryption=False``.
        self.encryption: JobEncryption | None
        if isinstance(encryption, JobEncryption):
            self.encryption = encryption
        elif encryption:
            self.encryption = JobEncryption(self, "Encryption", removal_policy=removal_policy)
        else:
            self.encryption = None
        #: The input, output and access-log buckets.
        self.storage = storage or JobStorage(
            self, "Storage", encryption=self.encryption, removal_policy=removal_policy
        )
        #: The VPC, or None with ``vpc=False``.
        self.network: JobNetwork | None
        if isinstance(vpc, JobNetwork):
            self.network = vpc
        elif vpc:
            # Flow logs share the handler's log key: one key for all the stack's logs.
            handler = JobHandler.of(self)
            self.network = JobNetwork(self, "Network", flow_log_key=handler.log_key)
            # The flow-log group is retained (JobNetwork's default) when the stack is
            # deleted; were its key deleted with the stack, the logs kept would be
            # unreadable. So the handler's own key is retained too (a brought key's
            # removal policy is its owner's).
            handler.retain_log_key()
        else:
            self.network = None
        #: The role Comprehend assumes for the job.
        self.role = role or DataAccessRole(
            self,
            "DataAccessRole",
            storage=self.storage,
            encryption=self.encryption,
            network=self.network,
        )
        #: The upload of ``input_documents`` (the storage's ``InputDocuments``), or None.
        self.upload: s3deploy.BucketDeployment | None = None
        if input_documents is not None:
            # The storage uploads them, as it does for any job: the job waits for the
            # upload, and new or changed documents start it again (their content hashes
            # are in its RerunToken).
            self.upload = self.storage.add_input_documents(input_documents)

        job_props: dict[str, Any] = {
            "storage": self.storage,
            "role": self.role,
            "encryption": self.encryption,
            "network": self.network,
            "input_format": input_format,
            "document_reader": document_reader,
            "job_name": job_name,
            "tags": tags,
            "wait_for_completion": wait_for_completion,
            "stop_on_delete": stop_on_delete,
            "rerun_token": rerun_token,
        }
        #: The job construct.
        self.job: AnalysisJob
        if entity_recognizer_arn is not None:
            self.job = EntityRecognitionJob(
                self,
                "Job",
                recognizer_arn=entity_recognizer_arn,
                language_code=language_code or "en",
                **job_props,
            )
        else:
            self.job = DocumentClassificationJob(
                self, "Job", classifier_arn=classifier_arn, **job_props
            )
