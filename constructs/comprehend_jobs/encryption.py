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

from dataclasses import dataclass
from typing import Any

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from constructs import Construct

from comprehend_jobs._private.key_rules import (
    CALLER_VOLUME_KEY_ACTIONS,
    KEY_TOKEN_WARNING,
    OUTPUT_KEY_ACTIONS,
    VOLUME_KEY_ACTIONS,
    check_exclusive_key_props,
    key_reference,
    resolve_key,
    warn_if_string_parameter,
)
from comprehend_jobs._private.validation import Problems, construct_label

# KEY_TOKEN_WARNING, the synth warning for a key given as a String parameter, is defined
# with the key rules it belongs to.
__all__ = [
    "KEY_TOKEN_WARNING",
    "JobEncryption",
    "KeyReference",
]

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
        problems.check_removal_policy(removal_policy)
        for prop, flag in (
            ("single_key", single_key),
            ("volume_encryption", volume_encryption),
            ("output_encryption", output_encryption),
        ):
            problems.check_bool(prop, flag)
        problems.raise_if_any()
        check_exclusive_key_props(
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
            volume_ref = resolve_key(
                problems, stack, "existing_volume_key", existing_volume_key, aliases=False
            )
        if output_encryption and existing_output_key is not None:
            output_ref = resolve_key(
                problems, stack, "existing_output_key", existing_output_key, aliases=True
            )
        problems.raise_if_any()

        super().__init__(scope, construct_id)
        for prop, value in (
            ("existing_volume_key", existing_volume_key),
            ("existing_output_key", existing_output_key),
        ):
            warn_if_string_parameter(self, prop, value)
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
            volume_ref = key_reference(stack, created["volume"])
        if "output" in created:
            output_ref = key_reference(stack, created["output"])

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
            (self.volume_ref, VOLUME_KEY_ACTIONS),
            (self.output_ref, OUTPUT_KEY_ACTIONS),
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
                        _CALLER_SID, caller_role_arn, list(CALLER_VOLUME_KEY_ACTIONS)
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
