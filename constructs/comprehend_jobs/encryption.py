"""JobEncryption: the KMS keys of a Comprehend job (volume key and output key).

Comprehend takes two keys: ``VolumeKmsKeyId`` encrypts the storage volume of the job's
compute instances, ``OutputDataConfig.KmsKeyId`` encrypts the results it writes to S3.
By default this construct creates both (symmetric, rotation on), or one shared key with
``single_key=True``. Either may be an existing key instead, as an ``IKey`` or as a string
in exactly the forms the Comprehend console and API accept:

* volume key: a key ID (this account) or a key ARN (any account); no aliases;
* output key: a key ID or an alias name ``alias/...`` (this account), or a key ARN or an
  alias ARN (any account).

Cross-account keys: the library cannot edit another account's key policy. The statements
the key owner must add are returned by ``cross_account_key_policy_statements(role_arn)``:
one for the DataAccessRole and, for a foreign volume key given ``caller_role_arn=``, a
second for the job handler's role (``kms:CreateGrant`` + ``kms:DescribeKey``: the handler
is granted them on the volume key in its own policy, which does nothing for a key in
another account unless the key policy names it too). ``DataAccessRole`` (which knows
both roles) emits them as the stack output ``<role id>CrossAccountKeyPolicy`` whenever a
key may belong to another account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aws_cdk import Annotations, Aws, CfnParameter, RemovalPolicy, Stack, Token, Tokenization
from aws_cdk import aws_kms as kms
from constructs import Construct

from comprehend_jobs._private.validation import Problems, construct_label

__all__ = [
    "KEY_TOKEN_WARNING",
    "JobEncryption",
    "KeyReference",
]

#: The synth warning for a key given as a String parameter (any text passes CloudFormation).
KEY_TOKEN_WARNING = "comprehend-jobs:key-token"
#: What a key given as a token must resolve to.
_TOKEN_KEY_FORM = (
    "a key ARN 'arn:<partition>:kms:<region>:<account>:key/<key id>' (a token is sent and "
    "granted as given: a key ID or alias there makes an invalid IAM resource)"
)
#: A CfnParameter AllowedPattern that admits only key ARNs.
_KEY_ARN_PARAMETER_PATTERN = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[a-zA-Z0-9-]+$"

_KEY_ID = r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})"
_ALIAS_NAME = r"alias/[a-zA-Z0-9/_-]{1,250}"
_ARN_HEAD = r"arn:(?P<partition>aws[a-z-]*):kms:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
_KEY_ID_RE = re.compile(rf"^{_KEY_ID}$")
_KEY_ARN_RE = re.compile(rf"^{_ARN_HEAD}key/{_KEY_ID}$")
_ALIAS_NAME_RE = re.compile(rf"^{_ALIAS_NAME}$")
_ALIAS_ARN_RE = re.compile(rf"^{_ARN_HEAD}(?P<alias>{_ALIAS_NAME})$")

_VOLUME_FORMS = (
    "a KMS key ID of this account ('1234abcd-12ab-34cd-56ef-1234567890ab' or 'mrk-<32 hex>'), "
    "a key ARN of any account ('arn:aws:kms:<region>:<account>:key/<key id>') or an IKey; "
    "aliases are not accepted for the volume key"
)
_OUTPUT_FORMS = (
    "a KMS key ID or an alias name ('alias/ExampleAlias') of this account, a key ARN or an "
    "alias ARN ('arn:aws:kms:<region>:<account>:alias/ExampleAlias') of any account, or an "
    "IKey"
)

#: Key-policy actions a foreign key owner must allow the DataAccessRole, per key use.
_VOLUME_KEY_ACTIONS: tuple[str, ...] = ("kms:CreateGrant",)
_OUTPUT_KEY_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")
#: Key-policy actions a foreign volume key's owner allows the job handler (the caller of
#: Start*Job): what the handler's own policy grants it on the volume key.
_CALLER_VOLUME_KEY_ACTIONS: tuple[str, ...] = ("kms:CreateGrant", "kms:DescribeKey")
#: The Sids of the two statements.
_DATA_ACCESS_ROLE_SID = "AllowComprehendDataAccessRole"
_CALLER_SID = "AllowComprehendJobHandler"


@dataclass(frozen=True)
class KeyReference:
    """One resolved key: what to send to Comprehend and what to grant in IAM."""

    #: The value to send (VolumeKmsKeyId / OutputDataConfig.KmsKeyId).
    key_id: str
    #: The key ARN, usable as an IAM resource; None for an alias (unknown key).
    key_arn: str | None
    #: The alias name (``alias/...``) when the key was given as an alias, else None.
    alias_name: str | None
    #: The account owning the key (a token for this stack's account).
    account: str
    #: The region of the key (a token for this stack's region).
    region: str
    #: The partition of the key.
    partition: str
    #: The CDK key object, when there is one.
    key: kms.IKey | None
    #: True when the key is, or may be, in another account than the stack.
    cross_account: bool

    @property
    def grant_resource(self) -> str:
        """The IAM resource that names this key (``key/*`` of its account for an alias)."""
        if self.key_arn is not None:
            return self.key_arn
        return f"arn:{self.partition}:kms:{self.region}:{self.account}:key/*"

    @property
    def alias_condition(self) -> dict[str, Any] | None:
        """For an alias: the IAM condition that narrows ``key/*`` to the aliased key."""
        if self.alias_name is None:
            return None
        return {"ForAnyValue:StringEquals": {"kms:ResourceAliases": [self.alias_name]}}


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


class JobEncryption(Construct):
    """The volume key and the output key of a Comprehend job (an ``IJobEncryption``).

    :param single_key: one created key for both uses (a bool). Default: False (two keys, so the
        output key can be shared with the readers of the results without also opening
        the volume key). Only for created keys.
    :param volume_encryption: send ``VolumeKmsKeyId`` (a bool). Default: True. False: no volume
        key is created or sent (Comprehend then uses its own encryption for the volume).
    :param output_encryption: send ``OutputDataConfig.KmsKeyId`` (a bool). Default: True.
    :param existing_volume_key: use this key instead of creating one (IKey, key ID of
        this account, or key ARN; a key ARN must name the stack's Region). A token (e.g.
        a ``CfnParameter``) must resolve to a key ARN; a String parameter without an
        ``allowed_pattern`` is a synth warning (``comprehend-jobs:key-token``). Default:
        None (a key is created).
    :param existing_output_key: use this key instead of creating one (IKey, key ID or
        alias of this account, key ARN or alias ARN, in the stack's Region). A token must
        resolve to a key ARN, as for ``existing_volume_key``. Default: None (a key is
        created).
    :param removal_policy: removal policy of the keys this construct creates. Default:
        None (RETAIN, like aws-cdk-lib: data encrypted with a deleted key is lost).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        single_key: bool = False,
        volume_encryption: bool = True,
        output_encryption: bool = True,
        existing_volume_key: kms.IKey | str | None = None,
        existing_output_key: kms.IKey | str | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        stack = Stack.of(scope)
        problems = Problems(lambda: construct_label("JobEncryption", scope, construct_id))
        for prop, flag in (
            ("single_key", single_key),
            ("volume_encryption", volume_encryption),
            ("output_encryption", output_encryption),
        ):
            problems.check_bool(prop, flag)
        problems.raise_if_any()
        _check_exclusive(
            problems,
            single_key=single_key,
            volume_encryption=volume_encryption,
            output_encryption=output_encryption,
            existing_volume_key=existing_volume_key,
            existing_output_key=existing_output_key,
            removal_policy=removal_policy,
        )
        volume_ref = output_ref = None
        if volume_encryption and existing_volume_key is not None:
            volume_ref = _resolve(problems, stack, "existing_volume_key", existing_volume_key)
        if output_encryption and existing_output_key is not None:
            output_ref = _resolve(problems, stack, "existing_output_key", existing_output_key)
        problems.raise_if_any()

        super().__init__(scope, construct_id)
        for prop, value in (
            ("existing_volume_key", existing_volume_key),
            ("existing_output_key", existing_output_key),
        ):
            _warn_if_string_parameter(self, prop, value)
        self.single_key = single_key
        policy = removal_policy or RemovalPolicy.RETAIN
        created: dict[str, kms.Key] = {}
        if single_key:
            key = self._create_key("Key", "volume and output of Comprehend jobs", policy)
            created = {"volume": key, "output": key}
        else:
            if volume_encryption and volume_ref is None:
                created["volume"] = self._create_key(
                    "VolumeKey", "storage volume of Comprehend job instances", policy
                )
            if output_encryption and output_ref is None:
                created["output"] = self._create_key(
                    "OutputKey", "Comprehend job input and output data in S3", policy
                )
        if "volume" in created:
            volume_ref = _ref_for_key(stack, created["volume"])
        if "output" in created:
            output_ref = _ref_for_key(stack, created["output"])

        self.volume_ref: KeyReference | None = volume_ref
        self.output_ref: KeyReference | None = output_ref

    def _create_key(self, construct_id: str, use: str, policy: RemovalPolicy) -> kms.Key:
        # The default key policy (feature flag @aws-cdk/aws-kms:defaultKeyPolicies) gives
        # the account's IAM the key's administration; nothing else is in the key policy,
        # every use is granted in the using principal's IAM policy (least privilege).
        return kms.Key(
            self,
            construct_id,
            description=f"comprehend-jobs: {use}",
            enable_key_rotation=True,
            key_spec=kms.KeySpec.SYMMETRIC_DEFAULT,
            key_usage=kms.KeyUsage.ENCRYPT_DECRYPT,
            removal_policy=policy,
        )

    # -- the interface the job constructs use ------------------------------------------

    @property
    def volume_key(self) -> kms.IKey | None:
        """The volume key as a CDK object; None when switched off or given as a string."""
        return self.volume_ref.key if self.volume_ref else None

    @property
    def output_key(self) -> kms.IKey | None:
        """The output key as a CDK object; None when switched off or given as a string."""
        return self.output_ref.key if self.output_ref else None

    @property
    def volume_key_id(self) -> str | None:
        """The exact value to send as ``VolumeKmsKeyId`` (None: send nothing)."""
        return self.volume_ref.key_id if self.volume_ref else None

    @property
    def output_key_id(self) -> str | None:
        """The exact value to send as ``OutputDataConfig.KmsKeyId`` (None: send nothing)."""
        return self.output_ref.key_id if self.output_ref else None

    @property
    def volume_key_arn(self) -> str | None:
        """The volume key ARN (for IAM); built from the stack for a key ID string."""
        return self.volume_ref.key_arn if self.volume_ref else None

    @property
    def output_key_arn(self) -> str | None:
        """The output key ARN (for IAM); None for an alias, whose key is unknown at synth.

        Use ``output_ref.grant_resource`` and ``output_ref.alias_condition`` to grant an
        aliased key (``key/*`` narrowed by ``kms:ResourceAliases``).
        """
        return self.output_ref.key_arn if self.output_ref else None

    @property
    def cross_account(self) -> bool:
        """True when a key is, or may be, owned by another account."""
        return any(r.cross_account for r in (self.volume_ref, self.output_ref) if r)

    def cross_account_key_policy_statements(
        self, role_arn: str, *, caller_role_arn: str | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """The key-policy statements each foreign key's owner must add.

        :param role_arn: the DataAccessRole: ``kms:CreateGrant`` on the volume key,
            ``kms:Decrypt`` + ``kms:GenerateDataKey`` on the output key (Sid
            ``AllowComprehendDataAccessRole``).
        :param caller_role_arn: the role that calls Start*Job (the stack's job handler,
            ``JobHandler.of(scope).role.role_arn``): a second statement on a foreign
            volume key allows it ``kms:CreateGrant`` + ``kms:DescribeKey`` (Sid
            ``AllowComprehendJobHandler``). Default: None (no such statement).

        Keyed by the key as given (ARN, alias ARN or ID), each with its statements (the
        DataAccessRole's first); one entry when volume and output use the same key; empty
        when every key is in this account. In a key policy ``Resource: "*"`` means the key
        itself.
        """
        uses: dict[str, list[str]] = {}
        caller_keys: set[str] = set()
        for ref, key_actions in (
            (self.volume_ref, _VOLUME_KEY_ACTIONS),
            (self.output_ref, _OUTPUT_KEY_ACTIONS),
        ):
            if ref is None or not ref.cross_account:
                continue
            name = ref.key_arn or ref.key_id
            uses[name] = sorted(set(uses.get(name, [])) | set(key_actions))
            if ref is self.volume_ref and caller_role_arn is not None:
                caller_keys.add(name)
        statements: dict[str, list[dict[str, Any]]] = {}
        for name, actions in uses.items():
            statements[name] = [_key_policy_statement(_DATA_ACCESS_ROLE_SID, role_arn, actions)]
            if name in caller_keys and caller_role_arn is not None:
                statements[name].append(
                    _key_policy_statement(
                        _CALLER_SID, caller_role_arn, list(_CALLER_VOLUME_KEY_ACTIONS)
                    )
                )
        return statements


def _key_policy_statement(sid: str, principal_arn: str, actions: list[str]) -> dict[str, Any]:
    """One key-policy statement allowing ``principal_arn`` ``actions`` on the key."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"AWS": principal_arn},
        "Action": actions,
        "Resource": "*",
    }


def _check_exclusive(
    problems: Problems,
    *,
    single_key: bool,
    volume_encryption: bool,
    output_encryption: bool,
    existing_volume_key: object,
    existing_output_key: object,
    removal_policy: RemovalPolicy | None,
) -> None:
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


def _ref_for_key(stack: Stack, key: kms.IKey) -> KeyReference:
    # Each property read is a jsii round trip: the env and the ARN are read once.
    env = key.env
    account = env.account
    key_arn = key.key_arn
    return KeyReference(
        key_id=key_arn,
        key_arn=key_arn,
        alias_name=None,
        account=account,
        region=env.region,
        partition=stack.partition,
        key=key,
        cross_account=_account_differs(account, stack),
    )


def _warn_if_string_parameter(scope: Construct, prop: str, value: object) -> None:
    """Warn when ``value`` is a ``CfnParameter`` of type String without an
    ``allowed_pattern``: CloudFormation accepts any text, and only a key ARN works."""
    parameter = _parameter_of(scope, value)
    if parameter is None or parameter.type != "String" or parameter.allowed_pattern:
        return
    Annotations.of(scope).add_warning_v2(
        KEY_TOKEN_WARNING,
        f"{prop} is the CfnParameter {parameter.node.path} of type String, which accepts "
        f"any text at deploy time; it must be {_TOKEN_KEY_FORM}. Fix: give the parameter "
        f"allowed_pattern={_KEY_ARN_PARAMETER_PATTERN!r}, or pass the key as a kms.IKey.",
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


def _resolve_key(
    problems: Problems, stack: Stack, prop: str, value: kms.IKey | str, *, aliases: bool
) -> KeyReference | None:
    """The reference for a key prop given as an IKey or a string, in the stack's Region;
    records a problem (and returns None) for anything else. ``aliases``: whether alias
    names and alias ARNs are accepted."""
    return _resolve(problems, stack, prop, value, volume=not aliases)


def _resolve(
    problems: Problems,
    stack: Stack,
    prop: str,
    value: kms.IKey | str,
    *,
    volume: bool | None = None,
) -> KeyReference | None:
    if volume is None:
        volume = prop == "existing_volume_key"
    forms = _VOLUME_FORMS if volume else _OUTPUT_FORMS
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
                _VOLUME_FORMS,
                "pass the key itself (kms.Key.from_key_arn) instead of an alias",
            )
            return None
        if _is_alias_object(value):
            alias: Any = value
            return _ref_for_string(stack, alias.alias_name, volume=False)
        return _ref_for_key(stack, value)
    if Token.is_unresolved(value):
        # A deploy-time value (e.g. a parameter): sent and granted as given, so it must be
        # a key ARN (_TOKEN_KEY_FORM); a String parameter gets a warning.
        return KeyReference(
            value, value, None, Aws.ACCOUNT_ID, Aws.REGION, stack.partition, None, False
        )
    ref = _ref_for_string(stack, value, volume=volume)
    if ref is None:
        fix = (
            "give the key ID or key ARN the alias points to"
            if volume and ("alias/" in value)
            else "copy the key ID or ARN from the KMS console"
        )
        problems.add(prop, value, f"{forms}; a token must resolve to {_TOKEN_KEY_FORM}", fix)
    return ref


def _ref_for_string(stack: Stack, value: str, *, volume: bool) -> KeyReference | None:
    partition, region, account = stack.partition, stack.region, stack.account
    if _KEY_ID_RE.match(value):
        arn = f"arn:{partition}:kms:{region}:{account}:key/{value}"
        return KeyReference(value, arn, None, account, region, partition, None, False)
    m = _KEY_ARN_RE.match(value)
    if m:
        return KeyReference(
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
    if _ALIAS_NAME_RE.match(value) and not value.startswith("alias/aws/"):
        return KeyReference(value, None, value, account, region, partition, None, False)
    m = _ALIAS_ARN_RE.match(value)
    if m and not m["alias"].startswith("alias/aws/"):
        return KeyReference(
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


def _key_reference(stack: Stack, key: kms.IKey) -> KeyReference:
    """The reference for a CDK key object (e.g. the key a bucket was imported with)."""
    return _ref_for_key(stack, key)
