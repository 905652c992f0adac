"""The console's S3 locations: ``s3://bucket/prefix/`` as a bucket name and a key prefix.

The Comprehend console (and the API's ``S3Uri``) names input and output locations as one
URI; the constructs take a bucket and a prefix. The URI's form is botocore's own ``S3Uri``
shape (lowercase ``s3://``, a bucket name of 3-63 characters, an optional key), so what the
console accepts is what these accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from comprehend_jobs._private import api_model
from comprehend_jobs._private.validation import Problems, is_unresolved


@dataclass(frozen=True)
class S3Location:
    """One ``s3://`` location."""

    #: The bucket name.
    bucket: str
    #: The key prefix ('' for the whole bucket).
    prefix: str

    @property
    def uri(self) -> str:
        """``s3://<bucket>/<prefix>``."""
        return f"s3://{self.bucket}/{self.prefix}"


def parse_s3_uri(problems: Problems, prop: str, value: object) -> S3Location | None:
    """The bucket and prefix of ``value``; records a problem naming ``prop`` otherwise.

    A token cannot be split at synth time: it is a problem too (pass the bucket and the
    prefix separately when the location is only known at deploy time).
    """
    if not isinstance(value, str) or is_unresolved(value):
        problems.add(
            prop,
            value,
            "an S3 URI string known at synth time, 's3://<bucket>/<prefix>/'",
            "pass the URI the console shows, or pass the bucket and the prefix separately",
        )
        return None
    if not api_model.matches_shape("S3Uri", value):
        pattern = api_model.shape_metadata("S3Uri")["pattern"]
        suggestion = _suggest(value)
        problems.add(
            prop,
            value,
            f"an S3 URI matching {pattern} (lowercase 's3://', a bucket name of lowercase "
            "letters, digits, '.' and '-', then an optional key prefix)",
            f"use {suggestion!r}"
            if suggestion is not None
            else "copy the URI from the S3 console ('Copy S3 URI')",
        )
        return None
    bucket, _, prefix = value[len("s3://") :].partition("/")
    return S3Location(bucket=bucket, prefix=prefix)


def _suggest(value: str) -> str | None:
    """The URI the user probably meant, when that one is valid: the scheme and the bucket
    lowercased (key prefixes are case-sensitive and kept as given)."""
    text = value.strip()
    if text.lower().startswith("s3://"):
        text = text[len("s3://") :]
    elif "://" in text:
        return None
    bucket, slash, key = text.lstrip("/").partition("/")
    candidate = f"s3://{bucket.lower()}{slash}{key}"
    return candidate if api_model.matches_shape("S3Uri", candidate) else None
