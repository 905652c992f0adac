"""Downloading a finished job's output from S3 and unpacking it on disk.

Most job types write one ``output.tar.gz``; PII and events jobs write a folder of files.
Both are streamed to disk (S3 transfers in chunks, tar members are extracted one by one),
so an output of any size needs only a bounded amount of memory.
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path, PurePosixPath
from typing import Any

from botocore.exceptions import ClientError

from comprehend_jobs.cli.errors import OutputMissing, aws_errors, error_code
from comprehend_jobs.cli.status import JobState

_MISSING_CODES = frozenset({"404", "NoSuchKey", "NoSuchBucket", "NotFound"})


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` as ``(bucket, key)``."""
    if not uri.startswith("s3://"):
        raise OutputMissing(f"output location {uri!r} is not an s3:// URI")
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def fetch_output(s3: Any, state: JobState, dest: Path) -> list[Path]:
    """Download ``state``'s output into ``dest`` and unpack it under ``dest/output``.

    Returns the unpacked files, sorted. Raises ``OutputMissing`` when the job has no
    output where Describe says it is.
    """
    if not state.output_uri:
        raise OutputMissing(f"job {state.name} reports no output location")
    bucket, key = split_s3_uri(state.output_uri)
    unpacked = dest / "output"
    unpacked.mkdir(parents=True, exist_ok=True)
    if key.endswith(".tar.gz"):
        archive = dest / PurePosixPath(key).name
        _download(s3, bucket, key, archive, state)
        _unpack(archive, unpacked)
    else:
        _download_folder(s3, bucket, key, unpacked, state)
    return sorted(p for p in unpacked.rglob("*") if p.is_file())


def _unpack(archive: Path, target: Path) -> None:
    # Only regular files, only inside ``target`` (no absolute paths, "..", links or
    # devices), each copied in chunks. tarfile's "data" filter would do the same, but only
    # exists from Python 3.11.4.
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            relative = PurePosixPath(member.name)
            if not member.isfile() or relative.is_absolute() or ".." in relative.parts:
                continue
            path = target.joinpath(*relative.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is not None:
                with source, path.open("wb") as sink:
                    shutil.copyfileobj(source, sink)


def _download(s3: Any, bucket: str, key: str, target: Path, state: JobState) -> None:
    # The library encrypts output with a KMS key by default: reading it needs the key too.
    action = "s3:GetObject (and kms:Decrypt on the output key if SSE-KMS)"
    with aws_errors(action, f"s3://{bucket}/{key}"):
        try:
            s3.download_file(bucket, key, str(target))
        except ClientError as e:
            if error_code(e) in _MISSING_CODES:
                raise OutputMissing(
                    f"job {state.name} is {state.status} but its output s3://{bucket}/{key} "
                    "does not exist; was it deleted or moved (bucket lifecycle rule)?"
                ) from None
            raise


def _download_folder(s3: Any, bucket: str, prefix: str, target: Path, state: JobState) -> None:
    prefix = prefix if prefix.endswith("/") or not prefix else prefix + "/"
    count = 0
    with aws_errors("s3:ListBucket", f"s3://{bucket}/{prefix}"):
        try:
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    relative = PurePosixPath(item["Key"][len(prefix) :])
                    if item["Key"].endswith("/") or ".." in relative.parts:
                        continue
                    path = target.joinpath(*relative.parts)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    _download(s3, bucket, item["Key"], path, state)
                    count += 1
        except ClientError as e:
            if error_code(e) in _MISSING_CODES:
                count = 0
            else:
                raise
    if count == 0:
        raise OutputMissing(
            f"job {state.name} is {state.status} but s3://{bucket}/{prefix} holds no output files"
        )
