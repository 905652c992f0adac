"""The rules for ``JobNetwork``'s props: which props go together, the subnets and security
groups Comprehend's ``VpcConfig`` accepts (its limits and ID pattern, read from botocore's
model), the created VPC's range and AZs, and the S3 prefix list ID.

Each rule records its problems; ``JobNetwork`` runs them all before it creates anything.
"""

from __future__ import annotations

import ipaddress
import re

from aws_cdk import RemovalPolicy, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs

from comprehend_jobs._private import api_model
from comprehend_jobs._private.s3_routes import route_table_id
from comprehend_jobs._private.validation import Problems, bool_fix

# What Comprehend's VpcConfig accepts (its list shapes' maximums in the API model), read
# when a rule needs them rather than at import: importing the package reads nothing of
# botocore's model (about 25 ms), which many apps never need (the example app's defaults
# check no limit of it).


def max_subnets() -> int:
    """The most subnets ``VpcConfig.Subnets`` takes."""
    return int(api_model.shape_metadata(api_model.member_shape("VpcConfig", "Subnets"))["max"])


def max_security_groups() -> int:
    """The most security groups ``VpcConfig.SecurityGroupIds`` takes."""
    return int(
        api_model.shape_metadata(api_model.member_shape("VpcConfig", "SecurityGroupIds"))["max"]
    )


def is_vpc(value: object) -> bool:
    """True for an ``ec2.IVpc`` (or anything shaped like one)."""
    return hasattr(value, "vpc_id") and hasattr(value, "select_subnets")


def is_security_group(value: object) -> bool:
    """True for an ``ec2.ISecurityGroup`` (or anything shaped like one)."""
    return hasattr(value, "security_group_id") and hasattr(value, "connections")


def given_by_ids(existing_vpc: object, subnet_selection: object, security_groups: object) -> bool:
    """True when subnets and groups are given as objects with no VPC: what the console
    picks by ID (``JobNetwork.from_ids``)."""
    return (
        existing_vpc is None
        and subnet_selection is not None
        and bool(getattr(subnet_selection, "subnets", None))
        and security_groups is not None
    )


def check_s3_gateway_endpoint_type(problems: Problems, value: object) -> bool | None:
    """Record a problem unless ``s3_gateway_endpoint`` is True, False or None; returns the
    value to go on checking with (None for a wrong type)."""
    if value is not None and not isinstance(value, bool):
        problems.add(
            "s3_gateway_endpoint",
            value,
            "True, False or None (auto); a string such as 'false' is not a bool",
            bool_fix("s3_gateway_endpoint", value) + ", or omit it for the automatic choice",
        )
        return None
    return value


def check_s3_gateway_endpoint_scope(
    problems: Problems, value: bool | None, *, existing_vpc: object, by_ids: bool
) -> None:
    """Record a problem when ``s3_gateway_endpoint`` is given for the VPC the construct
    creates (which always has its own endpoint)."""
    if value is not None and existing_vpc is None and not by_ids:
        problems.add(
            "s3_gateway_endpoint",
            value,
            "s3_gateway_endpoint decides about the routes of an existing_vpc; the VPC "
            "this construct creates always has its own S3 gateway endpoint",
            "drop s3_gateway_endpoint, or pass existing_vpc too",
        )


def check_existing_vpc(
    problems: Problems,
    existing_vpc: ec2.IVpc,
    *,
    subnet_selection: ec2.SubnetSelection | None,
    s3_gateway_endpoint: bool | None,
    max_azs: int | None,
    cidr: str | None,
    flow_log_retention: logs.RetentionDays | None,
    flow_log_key: kms.IKey | None,
    removal_policy: RemovalPolicy | None,
) -> list[ec2.ISubnet] | None:
    """The rules for a brought VPC: it is an ``ec2.IVpc``, no prop of the created VPC is
    given, the selection picks 1-16 private subnets, and ``s3_gateway_endpoint=True`` has
    route tables to act on. Returns the job subnets (None when they cannot be known)."""
    if not is_vpc(existing_vpc):
        problems.add("existing_vpc", existing_vpc, "an ec2.IVpc", "pass an ec2.IVpc")
    for prop, value in (
        ("max_azs", max_azs),
        ("cidr", cidr),
        ("flow_log_retention", flow_log_retention),
        ("flow_log_key", flow_log_key),
        ("removal_policy", removal_policy),
    ):
        if value is not None:
            problems.add(
                prop,
                value,
                f"{prop} configures the VPC this construct creates; it creates none "
                "when existing_vpc is given",
                f"drop {prop}, or drop existing_vpc",
            )
    subnets: list[ec2.ISubnet] | None = None
    if is_vpc(existing_vpc):
        subnets = select_job_subnets(problems, existing_vpc, subnet_selection)
    if s3_gateway_endpoint is True and subnets:
        check_route_tables_known(problems, s3_gateway_endpoint, subnets)
    return subnets


def check_route_tables_known(
    problems: Problems, s3_gateway_endpoint: bool, subnets: list[ec2.ISubnet]
) -> None:
    """Record a problem when ``s3_gateway_endpoint=True`` and a job subnet has no known
    route table (the endpoint would have nowhere to go)."""
    without = [s.subnet_id for s in subnets if route_table_id(s) is None]
    if without:
        problems.add(
            "s3_gateway_endpoint",
            s3_gateway_endpoint,
            "True adds an S3 gateway endpoint on the job subnets' route "
            f"tables, and these subnets have no known route table: {without}",
            "import the VPC with *_subnet_route_table_ids=[...] (or the subnets "
            "with route_table_id=...), or omit s3_gateway_endpoint",
        )


def select_job_subnets(
    problems: Problems, vpc: ec2.IVpc, selection: ec2.SubnetSelection | None
) -> list[ec2.ISubnet] | None:
    """The subnets of ``vpc`` that ``selection`` picks (default: its private isolated
    subnets, else its private ones); records a problem for a selection that matches
    nothing, more than 16 subnets or a public subnet."""
    try:
        if selection is None:
            kind = (
                ec2.SubnetType.PRIVATE_ISOLATED
                if vpc.isolated_subnets
                else ec2.SubnetType.PRIVATE_WITH_EGRESS
            )
            selected = vpc.select_subnets(subnet_type=kind)
        else:
            selected = vpc.select_subnets(
                availability_zones=selection.availability_zones,
                one_per_az=selection.one_per_az,
                subnet_filters=selection.subnet_filters,
                subnet_group_name=selection.subnet_group_name,
                subnets=selection.subnets,
                subnet_type=selection.subnet_type,
            )
    except Exception as exc:  # jsii raises RuntimeError with CDK's own message
        problems.add(
            "subnet_selection",
            selection,
            f"a selection that matches subnets of the VPC ({exc})",
            "pass subnet_selection=ec2.SubnetSelection(subnets=[...]) or create "
            "private subnets in the VPC",
        )
        return None
    subnets = list(selected.subnets)
    if not Token.is_unresolved(selected.subnet_ids) and not (1 <= len(subnets) <= max_subnets()):
        problems.add(
            "subnet_selection",
            [s.subnet_id for s in subnets],
            f"1 to {max_subnets()} subnets (Comprehend VpcConfig)",
            "narrow the selection (e.g. one_per_az=True) or add private subnets",
        )
    if selected.has_public:
        problems.add(
            "subnet_selection",
            selection,
            "private or isolated subnets only (jobs need no public addresses, and "
            "public subnets would give them a route to the internet)",
            "select PRIVATE_ISOLATED or PRIVATE_WITH_EGRESS subnets",
        )
    return subnets


def check_subnets_by_ids(
    problems: Problems,
    subnet_selection: ec2.SubnetSelection | None,
    s3_gateway_endpoint: bool | None,
) -> list[ec2.ISubnet]:
    """The rules for subnets given without their VPC: 1-16 of them, and no
    ``s3_gateway_endpoint=True`` (there is no VPC to add it to). Returns the subnets."""
    assert subnet_selection is not None and subnet_selection.subnets is not None
    subnets = list(subnet_selection.subnets)
    if s3_gateway_endpoint is True:
        problems.add(
            "s3_gateway_endpoint",
            s3_gateway_endpoint,
            "True adds an S3 gateway endpoint to the jobs' VPC, and only subnets were given",
            "pass existing_vpc (with its subnets' route table IDs), or omit s3_gateway_endpoint",
        )
    if not 1 <= len(subnets) <= max_subnets():
        problems.add(
            "subnet_selection",
            [s.subnet_id for s in subnets],
            f"1 to {max_subnets()} subnets (Comprehend VpcConfig)",
            "pass fewer subnets",
        )
    return subnets


def check_created_vpc(
    problems: Problems,
    *,
    subnet_selection: object,
    security_groups: object,
    cidr: str | None,
    max_azs: int | None,
) -> None:
    """The rules for the VPC the construct creates: no subnet selection or security
    groups of another VPC, a /16 to /24 IPv4 range, and 1-16 AZs."""
    for other_prop, other in (
        ("subnet_selection", subnet_selection),
        ("security_groups", security_groups),
    ):
        if other is not None:
            problems.add(
                other_prop,
                other,
                f"{other_prop} needs existing_vpc (the created VPC has exactly "
                "the subnets and security group this construct makes)",
                f"pass existing_vpc too, or drop {other_prop}",
            )
    # Only a string can be a token (jsii cannot even look at other objects).
    if cidr is not None and not (isinstance(cidr, str) and Token.is_unresolved(cidr)):
        try:
            if not isinstance(cidr, str):
                raise ValueError("not a string")
            network = ipaddress.IPv4Network(cidr, strict=True)
            if not 16 <= network.prefixlen <= 24:
                raise ValueError("size")
        except ValueError:
            problems.add(
                "cidr",
                cidr,
                "an IPv4 network in CIDR notation from /16 to /24 (it is split evenly "
                "between the AZs), e.g. '10.0.0.0/16'",
                "pass a network address such as '10.20.0.0/16'",
            )
    if max_azs is not None and (
        not isinstance(max_azs, int)
        or isinstance(max_azs, bool)
        or not 1 <= max_azs <= max_subnets()
    ):
        problems.add("max_azs", max_azs, f"1 to {max_subnets()}", "use 2 (the default) or 3")


def check_security_groups(
    problems: Problems, security_groups: object, s3_prefix_list_id: str | None
) -> None:
    """The rules for brought security groups: a list of 1-5 ``ec2.ISecurityGroup``, and
    no ``s3_prefix_list_id`` (it shapes only a group the construct creates)."""
    if not isinstance(security_groups, list | tuple) or not all(
        is_security_group(g) for g in security_groups
    ):
        problems.add(
            "security_groups",
            security_groups,
            "a list of ec2.ISecurityGroup",
            "pass [ec2.SecurityGroup.from_security_group_id(...)]",
        )
    elif not 1 <= len(security_groups) <= max_security_groups():
        problems.add(
            "security_groups",
            [g.security_group_id for g in security_groups],
            f"1 to {max_security_groups()} security groups (Comprehend VpcConfig)",
            "pass at most 5 groups, or omit security_groups to get one created",
        )
    if s3_prefix_list_id is not None:
        problems.add(
            "s3_prefix_list_id",
            s3_prefix_list_id,
            "s3_prefix_list_id shapes the security group this construct creates; "
            "none is created when security_groups is given",
            "drop s3_prefix_list_id and add the rule to your own group",
        )


def check_s3_prefix_list_id(problems: Problems, value: str | None) -> None:
    """Record a problem unless ``s3_prefix_list_id`` is None, a token or a managed prefix
    list ID (``pl-`` and letters or digits)."""
    if value is not None and (
        not isinstance(value, str)
        or (
            not Token.is_unresolved(value) and not (value.startswith("pl-") and value[3:].isalnum())
        )
    ):
        problems.add(
            "s3_prefix_list_id",
            value,
            "a managed prefix list ID such as 'pl-63a5400a'",
            "aws ec2 describe-managed-prefix-lists --filters "
            "Name=prefix-list-name,Values=com.amazonaws.<region>.s3",
        )


#: EC2's ID forms (8 or 17 hex digits after the kind): the API's pattern, [-0-9a-zA-Z]+,
#: takes a group name or a VPC ID too, and the job then fails at start.
_EC2_ID = {
    "Subnets": ("subnet", re.compile(r"subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})")),
    "SecurityGroupIds": ("sg", re.compile(r"sg-(?:[0-9a-f]{8}|[0-9a-f]{17})")),
}
#: The kind of an EC2 ID by its prefix, to say what was given instead.
_EC2_KINDS = {"subnet": "subnet ID", "sg": "security group ID", "vpc": "VPC ID"}


def check_id_list(problems: Problems, prop: str, ids: object, member: str) -> None:
    """Record a problem unless ``ids`` is a list of IDs ``VpcConfig.<member>`` accepts
    (its length limits and ID pattern, read from botocore's model) of the right kind
    (``subnet-...`` or ``sg-...``), without whitespace or duplicates. The fix offered is
    the list cleaned, when cleaning leaves a valid one."""
    list_shape = api_model.member_shape("VpcConfig", member)
    item_shape = api_model.list_member_shape(list_shape)
    limits = api_model.shape_metadata(list_shape)
    low, high = limits.get("min", 1), limits.get("max")
    kind, form = _EC2_ID[member]
    wanted = _EC2_KINDS[kind]
    if isinstance(ids, str):
        # A string would be iterated letter by letter: say it once, with the list meant.
        items = [part.strip() for part in ids.split(",") if part.strip()]
        problems.add(
            prop, ids, f"a list of {low}-{high} IDs, not a string", f"use {prop}={items!r}"
        )
        return
    if not isinstance(ids, list | tuple):
        problems.add(prop, ids, f"a list of {low}-{high} IDs", f"pass e.g. {prop}=[...]")
        return
    if not low <= len(ids) <= (high or len(ids)):
        problems.add(
            prop, list(ids), f"{low}-{high} IDs (Comprehend VpcConfig)", f"pass {low} to {high} IDs"
        )
    literal = [i for i in ids if isinstance(i, str) and not Token.is_unresolved(i)]
    cleaned = list(dict.fromkeys(i.strip() for i in literal))
    if len(literal) == len(ids) and all(form.fullmatch(i) for i in cleaned):
        if cleaned != list(ids):
            problems.add(
                prop,
                list(ids),
                f"{wanted}s without spaces, line breaks or duplicates (pasted whitespace "
                "goes verbatim into the job's VpcConfig)",
                f"use {prop}={cleaned!r}",
            )
        return
    pattern = api_model.shape_metadata(item_shape).get("pattern")
    for value in ids:
        if isinstance(value, str) and Token.is_unresolved(value):
            continue
        if not isinstance(value, str) or not api_model.matches_shape(item_shape, value.strip()):
            problems.add(
                prop,
                value,
                f"{wanted}s matching {pattern} (at most 32 characters)",
                "copy the IDs from the VPC console",
            )
            continue
        if form.fullmatch(value.strip()):
            continue
        given = _EC2_KINDS.get(value.strip().split("-", 1)[0])
        if given and given != wanted:
            other = "security_group_ids" if kind == "subnet" else "subnet_ids"
            fix = f"move {value!r} to {other}= and give {wanted}s here"
            if given == "VPC ID":
                fix = f"give the {wanted}s of that VPC (aws ec2 describe-subnets)"
        else:
            given = "group name" if kind == "sg" else "name, not an EC2 ID"
            fix = (
                f"look the ID up: aws ec2 describe-security-groups --filters "
                f"Name=group-name,Values={value.strip()}"
                if kind == "sg"
                else "copy the subnet IDs (subnet-...) from the VPC console"
            )
        problems.add(
            prop,
            value,
            f"{wanted}s ({kind}- and 8 or 17 hex digits); this is a {given}",
            fix,
        )


def check_endpoint_without_vpc(problems: Problems, s3_gateway_endpoint: bool | None) -> None:
    """Record a problem for ``s3_gateway_endpoint=True`` given with subnet and security
    group IDs only (``JobNetwork.from_ids``): there is no VPC to add it to."""
    if s3_gateway_endpoint is True:
        problems.add(
            "s3_gateway_endpoint",
            s3_gateway_endpoint,
            "True adds an S3 gateway endpoint to the jobs' VPC, and only subnets were given",
            "build the JobNetwork from existing_vpc (with its subnets' route table IDs), "
            "or omit s3_gateway_endpoint",
        )


def _vpc_of(resource: object) -> str | None:
    """The VPC ID (often a token) of a subnet or security group defined in this app, from
    its CloudFormation resource; None for an imported one (its VPC is unknown at synth)."""
    try:
        child = resource.node.default_child  # type: ignore[attr-defined]
    except Exception:
        return None
    vpc_id = getattr(child, "vpc_id", None) if child is not None else None
    return vpc_id if isinstance(vpc_id, str) else None


def check_same_vpc(
    problems: Problems,
    existing_vpc: object,
    subnets: list[ec2.ISubnet] | None,
    security_groups: object,
) -> None:
    """Subnets and security groups of one VPC: a job's VpcConfig with a group of another
    VPC fails at start. Checked where the app defines them (a same-app ``ec2.Vpc``,
    ``ec2.SecurityGroup``, ``ec2.Subnet``); imported ones are not known at synth."""
    vpc_id = getattr(existing_vpc, "vpc_id", None) if is_vpc(existing_vpc) else None
    groups = list(security_groups) if isinstance(security_groups, list | tuple) else []
    group_vpcs = {id(g): _vpc_of(g) for g in groups if is_security_group(g)}
    subnet_vpcs = {id(s): _vpc_of(s) for s in subnets or []}
    known = [v for v in (*subnet_vpcs.values(), *group_vpcs.values()) if v is not None]
    target = vpc_id or (known[0] if known else None)
    if target is None:
        return
    strangers = [s for s in subnets or [] if subnet_vpcs[id(s)] not in (None, target)]
    if strangers:
        problems.add(
            "subnet_selection",
            strangers,
            "subnets of the VPC the job runs in (existing_vpc); these are of another VPC",
            "select subnets of existing_vpc (e.g. ec2.SubnetSelection(subnet_type="
            "ec2.SubnetType.PRIVATE_ISOLATED)), or pass the other VPC as existing_vpc",
        )
    others = [g for g in groups if group_vpcs.get(id(g)) not in (None, target)]
    if others:
        problems.add(
            "security_groups",
            others,
            "a security group of the VPC the job's subnets are in; these are of another "
            "VPC (the job fails to start)",
            "create the groups in that VPC (ec2.SecurityGroup(scope, id, vpc=existing_vpc)), "
            "or omit security_groups to get one created",
        )
