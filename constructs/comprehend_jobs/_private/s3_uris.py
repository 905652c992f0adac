"""The console's S3 locations: ``s3://bucket/prefix/`` as a bucket name and a key prefix.

The Comprehend console (and the API's ``S3Uri``) names input and output locations as one
URI; the constructs take a bucket and a prefix. The URI's form is botocore's own ``S3Uri``
shape (lowercase ``s3://``, a bucket name of 3-63 characters, an optional key), so what the
console accepts is what these accept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

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
        if _ACCESS_POINT.match(value.strip()):
            fix = (
                "give the bucket behind the access point as s3://BUCKET/PREFIX/ (Comprehend "
                "reads buckets, not access points; the S3 console's 'Copy S3 URI' of the "
                "folder shows it)"
            )
        elif suggestion is not None:
            fix = f"use {prop}={suggestion!r}"
        else:
            fix = "copy the URI from the S3 console ('Copy S3 URI')"
        problems.add(
            prop,
            value,
            f"an S3 URI matching {pattern} (lowercase 's3://', a bucket name of lowercase "
            "letters, digits, '.' and '-', then an optional key prefix)",
            fix,
        )
        return None
    bucket, _, prefix = value[len("s3://") :].partition("/")
    return S3Location(bucket=bucket, prefix=prefix)


#: The forms people copy instead of an S3 URI, each as (bucket, key) groups: the console's
#: "Copy URL" (virtual-hosted, with or without a Region), path-style URLs, a bucket ARN,
#: and schemes that are almost s3:// (S3://, s3a://, s3n://, s3:/).
_COPIED_FORMS = (
    re.compile(
        r"^https?://([a-z0-9][a-z0-9.-]+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?/?(.*)$"
    ),
    re.compile(r"^https?://s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?/([^/]+)/?(.*)$"),
    re.compile(r"^arn:aws[a-z-]*:s3:::([^/]+)/?(.*)$"),
    re.compile(r"^s3[an]?:/{1,3}([^/]+)/?(.*)$", re.IGNORECASE),
)
#: An S3 access point ARN (``arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME...``).
_ACCESS_POINT = re.compile(r"^arn:aws[a-z-]*:s3:[a-z0-9-]+:\d{12}:accesspoint/")
#: A glob character: the segment holding it, and what follows, is not a prefix.
_GLOB = re.compile(r"[*?\[]")


def _suggest(value: str) -> str | None:
    """The URI the user probably meant, when that one is valid: pasted whitespace dropped,
    a copied URL, ARN or almost-s3 scheme rewritten, the bucket lowercased (key prefixes
    are case-sensitive and kept as given), a glob cut back to the folder before it."""
    text = value.strip()
    for form in _COPIED_FORMS:
        match = form.match(text)
        if match:
            bucket, key = match.group(1), unquote(match.group(2))
            break
    else:
        if "://" in text or text.startswith("arn:"):
            return None
        bucket, _, key = text.lstrip("/").partition("/")
    glob = _GLOB.search(key)
    if glob:
        key = key[: key.rfind("/", 0, glob.start()) + 1]
    candidate = f"s3://{bucket.lower()}/{key}"
    return candidate if api_model.matches_shape("S3Uri", candidate) else None
