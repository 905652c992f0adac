"""Which AWS Region the command uses.

Precedence is the AWS CLI's: ``--region``, then ``AWS_REGION``, then ``AWS_DEFAULT_REGION``,
then the profile's ``region``. botocore itself reads only the last two, so the first two are
passed to the session explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping


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
