"""The rules for KMS keys given as props: the forms Comprehend accepts, how a key given as
an ``IKey`` or a string becomes a ``KeyReference``, the warning for a String parameter,
which of ``JobEncryption``'s props exclude each other, and the key-policy actions each key
use needs.

Shared by ``JobEncryption`` (its two keys), ``JobStorage`` (``input_bucket_key`` and the
key an input bucket was imported with) and ``DataAccessRole`` (the actions it grants).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from aws_cdk import Annotations, Aws, CfnParameter, RemovalPolicy, Stack, Token, Tokenization
from aws_cdk import aws_kms as kms
from constructs import Construct

from comprehend_jobs._private.validation import Problems

if TYPE_CHECKING:
    from comprehend_jobs.encryption import KeyReference

#: The synth warning for a key given as a String parameter (any text passes CloudFormation).
KEY_TOKEN_WARNING = "comprehend-jobs:key-token"
#: What a key given as a token must resolve to.
TOKEN_KEY_FORM = (
    "a key ARN 'arn:<partition>:kms:<region>:<account>:key/<key id>' (a token is sent and "
    "granted as given: a key ID or alias there makes an invalid IAM resource)"
)
#: A CfnParameter AllowedPattern that admits only key ARNs.
KEY_ARN_PARAMETER_PATTERN = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[a-zA-Z0-9-]+$"

_KEY_ID = r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})"
_ALIAS_NAME = r"alias/[a-zA-Z0-9/_-]{1,250}"
_ARN_HEAD = r"arn:(?P<partition>aws[a-z-]*):kms:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
_KEY_ID_RE = re.compile(rf"^{_KEY_ID}$")
_KEY_ARN_RE = re.compile(rf"^{_ARN_HEAD}key/{_KEY_ID}$")
_ALIAS_NAME_RE = re.compile(rf"^{_ALIAS_NAME}$")
_ALIAS_ARN_RE = re.compile(rf"^{_ARN_HEAD}(?P<alias>{_ALIAS_NAME})$")

VOLUME_FORMS = (
    "a KMS key ID of this account ('1234abcd-12ab-34cd-56ef-1234567890ab' or 'mrk-<32 hex>'), "
    "a key ARN of any account ('arn:aws:kms:<region>:<account>:key/<key id>') or an IKey; "
    "aliases are not accepted for the volume key"
)
OUTPUT_FORMS = (
    "a KMS key ID or an alias name ('alias/ExampleAlias') of this account, a key ARN or an "
    "alias ARN ('arn:aws:kms:<region>:<account>:alias/ExampleAlias') of any account, or an "
    "IKey"
)

#: Key-policy actions a foreign key owner must allow the DataAccessRole, per key use.
VOLUME_KEY_ACTIONS: tuple[str, ...] = ("kms:CreateGrant",)
OUTPUT_KEY_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")
#: Key-policy actions a foreign volume key's owner allows the job handler (the caller of
#: Start*Job): what the handler's own policy grants it on the volume key.
CALLER_VOLUME_KEY_ACTIONS: tuple[str, ...] = ("kms:CreateGrant", "kms:DescribeKey")


def _has(value: object, attribute: str) -> bool:
    """hasattr that also survives jsii getters which throw (imported aliases)."""
    try:
        return hasattr(value, attribute)
    except Exception:
        return True


def _is_key(value: object) -> bool:
    return _has(value, "key_arn") and _has(value, "grant")


def _is_alias_object(value: object) -> bool:
    return _has(value, "alias_name") and _has(value, "alias_target_key")


def _account_differs(account: str, stack: Stack) -> bool:
    """True when ``account`` is, or may be, another account than the stack's."""
    if Token.is_unresolved(account) or not account:
        return False
    if Token.is_unresolved(stack.account):
        return True
    return account != stack.account


def check_exclusive_key_props(
    problems: Problems,
    *,
    single_key: bool,
    volume_encryption: bool,
    output_encryption: bool,
    existing_volume_key: object,
    existing_output_key: object,
    removal_policy: RemovalPolicy | None,
) -> None:
    """Record a problem for each of ``JobEncryption``'s props that another one excludes
    (an existing key for a switched-off use, ``single_key`` with existing keys or with a
    use off, ``removal_policy`` when no key is created)."""
    if existing_volume_key is not None and not volume_encryption:
        problems.add(
            "existing_volume_key",
            existing_volume_key,
            "no volume key can be used when volume_encryption=False",
            "drop existing_volume_key, or set volume_encryption=True",
        )
    if existing_output_key is not None and not output_encryption:
        problems.add(
            "existing_output_key",
            existing_output_key,
            "no output key can be used when output_encryption=False",
            "drop existing_output_key, or set output_encryption=True",
        )
    if single_key and (existing_volume_key is not None or existing_output_key is not None):
        problems.add(
            "single_key",
            single_key,
            "single_key creates one key and cannot be combined with existing_volume_key "
            "or existing_output_key",
            "pass the same key as both existing_volume_key and existing_output_key, or "
            "drop the existing keys",
        )
    if single_key and not (volume_encryption and output_encryption):
        problems.add(
            "single_key",
            single_key,
            "single_key shares one key between the volume and the output, so both "
            "volume_encryption and output_encryption must be on",
            "drop single_key=True",
        )
    creates = (
        single_key
        or (volume_encryption and existing_volume_key is None)
        or (output_encryption and existing_output_key is None)
    )
    if removal_policy is not None and not creates:
        problems.add(
            "removal_policy",
            removal_policy,
            "removal_policy applies only to keys this construct creates, and it creates "
            "none with these props",
            "drop removal_policy (manage the existing keys where they are defined)",
        )


def key_reference(stack: Stack, key: kms.IKey) -> KeyReference:
    """The reference for a CDK key object (a created key, or the key a bucket was
    imported with)."""
    # Each property read is a jsii round trip: the env and the ARN are read once.
    env = key.env
    account = env.account
    key_arn = key.key_arn
    return _reference_class()(
        key_id=key_arn,
        key_arn=key_arn,
        alias_name=None,
        account=account,
        region=env.region,
        partition=stack.partition,
        key=key,
        cross_account=_account_differs(account, stack),
    )


def warn_if_string_parameter(scope: Construct, prop: str, value: object) -> None:
    """Warn when ``value`` is a ``CfnParameter`` of type String without an
    ``allowed_pattern``: CloudFormation accepts any text, and only a key ARN works."""
    parameter = _parameter_of(scope, value)
    if parameter is None or parameter.type != "String" or parameter.allowed_pattern:
        return
    Annotations.of(scope).add_warning_v2(
        KEY_TOKEN_WARNING,
        f"{prop} is the CfnParameter {parameter.node.path} of type String, which accepts "
        f"any text at deploy time; it must be {TOKEN_KEY_FORM}. Fix: give the parameter "
        f"allowed_pattern={KEY_ARN_PARAMETER_PATTERN!r}, or pass the key as a kms.IKey.",
    )


def _parameter_of(scope: Construct, value: object) -> CfnParameter | None:
    """The CfnParameter a string token is a plain reference to, else None."""
    if not isinstance(value, str) or not Token.is_unresolved(value):
        return None
    try:
        token = Tokenization.reverse_string(value).first_token
    except Exception:
        return None
    if token is None:
        return None
    stack = Stack.of(scope)
    resolved = stack.resolve(value)
    if not isinstance(resolved, dict) or set(resolved) != {"Ref"}:
        return None
    for child in stack.node.find_all():
        if isinstance(child, CfnParameter) and stack.resolve(child.logical_id) == resolved["Ref"]:
            return child
    return None


def resolve_key(
    problems: Problems, stack: Stack, prop: str, value: kms.IKey | str, *, aliases: bool
) -> KeyReference | None:
    """The reference for a key prop given as an IKey or a string, in the stack's Region;
    records a problem (and returns None) for anything else. ``aliases``: whether alias
    names and alias ARNs are accepted (an output key's forms), or not (a volume key's)."""
    volume = not aliases
    forms = VOLUME_FORMS if volume else OUTPUT_FORMS
    ref = _resolve_any(problems, stack, prop, value, volume=volume, forms=forms)
    if (
        ref is not None
        and not Token.is_unresolved(ref.region)
        and not Token.is_unresolved(stack.region)
        and ref.region != stack.region
    ):
        problems.add(
            prop,
            value,
            f"a key in the stack's Region {stack.region}; this one is in {ref.region} "
            "(KMS keys are Regional, and Comprehend and S3 use only keys of their own Region)",
            f"use a key in {stack.region} (a multi-Region key's replica there has its own "
            f"ARN), or deploy the stack to {ref.region}",
        )
        return None
    return ref


def _resolve_any(
    problems: Problems,
    stack: Stack,
    prop: str,
    value: kms.IKey | str,
    *,
    volume: bool,
    forms: str,
) -> KeyReference | None:
    if not isinstance(value, str):
        if not _is_key(value):
            problems.add(prop, value, forms, "pass a kms.IKey or a key string")
            return None
        if volume and _is_alias_object(value):
            problems.add(
                prop,
                value,
                VOLUME_FORMS,
                "pass the key itself (kms.Key.from_key_arn) instead of an alias",
            )
            return None
        if _is_alias_object(value):
            alias: Any = value
            return _ref_for_string(stack, alias.alias_name, volume=False)
        return key_reference(stack, value)
    if Token.is_unresolved(value):
        # A deploy-time value (e.g. a parameter): sent and granted as given, so it must be
        # a key ARN (TOKEN_KEY_FORM); a String parameter gets a warning.
        return _reference_class()(
            value, value, None, Aws.ACCOUNT_ID, Aws.REGION, stack.partition, None, False
        )
    ref = _ref_for_string(stack, value, volume=volume)
    if ref is None:
        fix = (
            "give the key ID or key ARN the alias points to"
            if volume and ("alias/" in value)
            else "copy the key ID or ARN from the KMS console"
        )
        if value != value.strip() and _ref_for_string(stack, value.strip(), volume=volume):
            fix = f"use {prop}={value.strip()!r} (pasted spaces or line breaks go verbatim)"
        problems.add(prop, value, f"{forms}; a token must resolve to {TOKEN_KEY_FORM}", fix)
    return ref


def _ref_for_string(stack: Stack, value: str, *, volume: bool) -> KeyReference | None:
    # fullmatch: "$" alone would match before a pasted final newline, which then went
    # verbatim into the request and the IAM policy.
    partition, region, account = stack.partition, stack.region, stack.account
    if _KEY_ID_RE.fullmatch(value):
        arn = f"arn:{partition}:kms:{region}:{account}:key/{value}"
        return _reference_class()(value, arn, None, account, region, partition, None, False)
    m = _KEY_ARN_RE.fullmatch(value)
    if m:
        return _reference_class()(
            value,
            value,
            None,
            m["account"],
            m["region"],
            m["partition"],
            None,
            _account_differs(m["account"], stack),
        )
    if volume:
        return None
    if _ALIAS_NAME_RE.fullmatch(value) and not value.startswith("alias/aws/"):
        return _reference_class()(value, None, value, account, region, partition, None, False)
    m = _ALIAS_ARN_RE.fullmatch(value)
    if m and not m["alias"].startswith("alias/aws/"):
        return _reference_class()(
            value,
            None,
            m["alias"],
            m["account"],
            m["region"],
            m["partition"],
            None,
            _account_differs(m["account"], stack),
        )
    return None


def _reference_class() -> type[KeyReference]:
    """``KeyReference``, looked up when a reference is made: its public home,
    ``comprehend_jobs.encryption``, imports this module, so this module cannot import it
    at load time."""
    from comprehend_jobs.encryption import KeyReference

    return KeyReference
