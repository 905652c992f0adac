"""Errors a person can act on, each with its own exit code and a one-line message.

The command catches ``CliError`` at the top and prints ``str(error)`` on stderr; every
AWS call goes through ``aws_errors`` so that botocore's exceptions become one of these.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)

#: Exit codes, one per kind of problem (2 is argparse's usage error).
EXIT_OK = 0
EXIT_JOB_FAILED = 1
EXIT_USAGE = 2
EXIT_NO_CREDENTIALS = 3
EXIT_STACK_NOT_FOUND = 4
EXIT_NO_JOBS = 5
EXIT_JOB_RUNNING = 6
EXIT_OUTPUT_MISSING = 7
EXIT_ACCESS_DENIED = 8
EXIT_JOB_NOT_FOUND = 9
EXIT_AWS_ERROR = 10
EXIT_INTERRUPTED = 130

_CREDENTIAL_CODES = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
    }
)
_ACCESS_DENIED_CODES = frozenset(
    {"AccessDenied", "AccessDeniedException", "AccessDeniedError", "Forbidden", "403"}
)
_THROTTLING_CODES = frozenset(
    {
        "TooManyRequestsException",
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "SlowDown",
    }
)


class CliError(Exception):
    """A problem the user can fix; ``exit_code`` tells scripts which one it was."""

    exit_code = EXIT_AWS_ERROR


class NoCredentials(CliError):
    """No usable AWS credentials (or Region) were found."""

    exit_code = EXIT_NO_CREDENTIALS


class StackNotFound(CliError):
    """The named CloudFormation stack does not exist in this account and Region."""

    exit_code = EXIT_STACK_NOT_FOUND


class NoJobs(CliError):
    """The stack exists but started no Comprehend jobs."""

    exit_code = EXIT_NO_JOBS


class JobNotFound(CliError):
    """``--job NAME`` matched none of the stack's jobs, or the service forgot the job."""

    exit_code = EXIT_JOB_NOT_FOUND


class JobStillRunning(CliError):
    """Results were asked for before the job ended."""

    exit_code = EXIT_JOB_RUNNING


class JobDidNotComplete(CliError):
    """Results were asked for a job that FAILED or was STOPPED."""

    exit_code = EXIT_JOB_FAILED


class OutputMissing(CliError):
    """The job says COMPLETED but its output is not where Describe says it is."""

    exit_code = EXIT_OUTPUT_MISSING


class AccessDenied(CliError):
    """The caller lacks an IAM permission; the message names the action and resource."""

    exit_code = EXIT_ACCESS_DENIED


class UsageError(CliError):
    """Arguments that parse but cannot be honoured together."""

    exit_code = EXIT_USAGE


def error_code(error: ClientError) -> str:
    """The service's error code of a ClientError ('' when absent)."""
    return str(error.response.get("Error", {}).get("Code", ""))


def is_throttling(error: ClientError) -> bool:
    """Whether the service asked us to slow down."""
    return error_code(error) in _THROTTLING_CODES


def _service_message(error: ClientError) -> str:
    message = str(error.response.get("Error", {}).get("Message", "")).strip()
    return f" ({message})" if message else ""


@contextmanager
def aws_errors(action: str, resource: str) -> Iterator[None]:
    """Turn botocore's exceptions raised inside the block into ``CliError``.

    ``action`` is the IAM action the block needs (``cloudformation:DescribeStacks``) and
    ``resource`` what it acts on; both go into the access-denied message, so the user
    knows exactly which permission to ask for.
    """
    try:
        yield
    except (NoCredentialsError, PartialCredentialsError) as e:
        raise NoCredentials(
            f"no AWS credentials found ({e}); configure them with `aws configure`, "
            "AWS_PROFILE or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables"
        ) from None
    except NoRegionError:
        raise NoCredentials(
            "no AWS Region configured; pass --region or set AWS_REGION / AWS_DEFAULT_REGION"
        ) from None
    except EndpointConnectionError as e:
        raise CliError(f"cannot reach AWS: {e}") from None
    except ClientError as e:
        code = error_code(e)
        if code in _CREDENTIAL_CODES:
            raise NoCredentials(
                f"AWS rejected the credentials ({code}){_service_message(e)}; "
                "refresh them (e.g. `aws sso login`) and retry"
            ) from None
        if code in _ACCESS_DENIED_CODES:
            raise AccessDenied(
                f"access denied: missing permission {action} on {resource}{_service_message(e)}"
            ) from None
        raise CliError(f"{action} on {resource} failed: {code}{_service_message(e)}") from None
