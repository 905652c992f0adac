"""What a job's custom resource sends: the Start*Job request, its rerun token, and the model
ARNs the caller must be allowed to start jobs with.

Built from a job's ``CheckedJobProps`` and its parts; the field names are the API's own,
and which fields a job type accepts comes from the job-type table the handler reads too.
"""

from __future__ import annotations

from typing import Any

import jsii
from aws_cdk import Fn, IResolvable, IResolveContext

from comprehend_jobs._private.checked_job import CheckedJobProps, ModelSource
from comprehend_jobs._private.validation import is_unresolved
from comprehend_jobs.interfaces import IJobEncryption, IJobNetwork, IJobStorage


def build_request(
    checked: CheckedJobProps,
    *,
    storage: IJobStorage,
    role_arn: str,
    encryption: IJobEncryption | None,
    network: IJobNetwork | None,
) -> dict[str, Any]:
    """The Start<Type>Job request body, with the API's own field names. The key order is
    the template's: keep it."""
    job_type = checked.job_type
    input_config: dict[str, Any] = {"S3Uri": storage.input_s3_uri}
    if checked.input_format is not None:
        input_config["InputFormat"] = checked.input_format
    if checked.document_reader is not None:
        input_config["DocumentReaderConfig"] = checked.document_reader.to_request()
    output_config: dict[str, Any] = {"S3Uri": storage.output_s3_uri}
    if encryption is not None and encryption.output_key_id is not None:
        output_config["KmsKeyId"] = encryption.output_key_id
    request: dict[str, Any] = {
        "InputDataConfig": input_config,
        "OutputDataConfig": output_config,
        "DataAccessRoleArn": role_arn,
    }
    if checked.job_name is not None:
        request["JobName"] = checked.job_name
    if job_type.takes_language and checked.language_code is not None:
        request["LanguageCode"] = checked.language_code
    if checked.model_source is not None:
        request[checked.model_source.field] = checked.model_source.arn
    if (
        encryption is not None
        and job_type.supports_volume_key
        and encryption.volume_key_id is not None
    ):
        request["VolumeKmsKeyId"] = encryption.volume_key_id
    if network is not None:
        request["VpcConfig"] = {
            "SecurityGroupIds": list(network.security_group_ids),
            "Subnets": list(network.subnet_ids),
        }
    tags = checked.tags
    if tags:
        request["Tags"] = [{"Key": k, "Value": tags[k]} for k in sorted(tags)]
    request.update(checked.type_fields)
    unexpected = set(request) - job_type.accepted_fields
    # The table is the contract with the handler: a field it does not list is a library bug.
    assert not unexpected, f"{job_type.stem} does not accept {sorted(unexpected)}"
    return request


def model_arns_to_grant(model_source: ModelSource | None) -> list[str]:
    """The model ARNs Start must be allowed on: the ARN given and, for a versioned ARN, the
    unversioned one too (which of the two IAM checks is not documented)."""
    if model_source is None:
        return []
    arn = model_source.arn
    if is_unresolved(arn) or "/version/" not in arn:
        return [arn]
    return [arn, arn.split("/version/", 1)[0]]


@jsii.implements(IResolvable)
class RerunToken:
    """The job's ``RerunToken``: the one given and, when documents are uploaded into the
    input location, their object keys (content hashes). Resolved at synth, after every
    upload is known: a new or changed document changes it, and the handler starts a new
    job whenever it changes; unchanged documents leave it, and the job, as they were.
    Nothing given and nothing uploaded: no ``RerunToken`` at all. (An IResolvable rather
    than ``Lazy.any``: jsii calls a Python ``produce`` without its context argument.)"""

    def __init__(self, given: str | None, storage: IJobStorage) -> None:
        self._given = given
        self._storage = storage

    @property
    def creation_stack(self) -> list[str]:
        return []

    def resolve(self, context: IResolveContext) -> Any:
        fingerprint = self._storage.input_documents_fingerprint
        if fingerprint is None:
            return self._given
        return Fn.join("|", [self._given or "", fingerprint])

    def to_string(self) -> str:
        return "<comprehend-jobs rerun token>"
