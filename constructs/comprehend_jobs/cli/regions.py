"""Which AWS Region the command uses, and whether botocore knows it.

Precedence is the AWS CLI's: ``--region``, then ``AWS_REGION``, then ``AWS_DEFAULT_REGION``,
then the profile's ``region``. botocore itself reads only the last two, so the first two are
passed to the session explicitly.

A Region is known when a partition in botocore's own data lists it, or matches that
partition's Region pattern (so a Region launched after the installed botocore still works).
A name no partition accepts (``moon-1``, ``us-east1``) is a typo: calling AWS with it would
only end in "cannot reach AWS" after the retries.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from botocore.exceptions import DataNotFoundError
from botocore.loaders import create_loader

from comprehend_jobs.cli.errors import UsageError

#: Environment variables naming the Region, most important first (as the AWS CLI reads them).
REGION_VARIABLES = ("AWS_REGION", "AWS_DEFAULT_REGION")
#: botocore data files describing partitions, each with ``regions`` and a ``regionRegex``.
_PARTITION_FILES = ("partitions", "endpoints")


@dataclass(frozen=True)
class Partitions:
    """The Regions botocore lists, and each partition's pattern for Region names."""

    regions: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    def knows(self, region: str) -> bool:
        """Whether ``region`` is listed, or has the form of a Region in some partition."""
        return region in self.regions or any(p.fullmatch(region) for p in self.patterns)

    def close_to(self, region: str) -> list[str]:
        """Listed Regions spelled like ``region``, best first (at most three)."""
        names = sorted(r for r in self.regions if not r.endswith("-global"))
        return difflib.get_close_matches(region.lower(), names, n=3, cutoff=0.6)


@cache
def botocore_partitions() -> Partitions:
    """The partitions of the installed botocore (its ``partitions.json`` and ``endpoints.json``)."""
    loader = create_loader()
    regions: set[str] = set()
    patterns: dict[str, re.Pattern[str]] = {}
    for name in _PARTITION_FILES:
        try:
            data = loader.load_data(name)
        except DataNotFoundError:
            continue
        for partition in data.get("partitions", []):
            regions.update(partition.get("regions", {}))
            regex = partition.get("regionRegex")
            if regex:
                patterns.setdefault(regex, re.compile(regex))
    return Partitions(frozenset(regions), tuple(patterns.values()))


def explicit_region(flag: str | None, environ: Mapping[str, str]) -> tuple[str | None, str]:
    """The Region set by ``--region`` or ``AWS_REGION`` (and where it came from), if any.

    ``AWS_DEFAULT_REGION`` and the profile are left to botocore, which reads them itself.
    """
    if flag:
        return flag, "--region"
    value = environ.get("AWS_REGION", "").strip()
    if value:
        return value, "AWS_REGION"
    return None, ""


def implicit_source(profile: str | None, environ: Mapping[str, str]) -> str:
    """Where botocore found a Region nobody passed: ``AWS_DEFAULT_REGION`` or the profile."""
    if environ.get("AWS_DEFAULT_REGION", "").strip():
        return "AWS_DEFAULT_REGION"
    name = profile or environ.get("AWS_PROFILE") or "default"
    return f"the region of profile {name!r} in your AWS config"


def check_region(region: str, source: str, partitions: Partitions | None = None) -> None:
    """Raise ``UsageError`` naming ``region`` when no botocore partition accepts it."""
    known = partitions or botocore_partitions()
    if known.knows(region):
        return
    close = known.close_to(region)
    hint = (
        f"did you mean {close[0]}?"
        if close
        else "Region names look like us-east-1 or eu-west-2; list them with "
        "`aws account list-regions`"
    )
    raise UsageError(f"unknown AWS Region {region!r} (from {source}); {hint}")
