"""The deploy rehearsal: would AWS run this template?

``rehearse(deployed)`` lists every call the deployed system makes (``calls``), evaluates
each against the resolved policies with the IAM simulator (``simulate``), checks that
CloudFormation can deliver each job to our handler, that every job subnet has a route to
S3 and its security groups let the job reach S3 and its own members, that CloudWatch Logs
may use each log group's key (a key the template does not hold only when the stack warned
about it), and that nothing retained at teardown depends on something deleted.
``rehearse_update(old, new)`` adds the calls an update makes in CloudFormation's cleanup
phase (the Delete of a removed job runs after the new policies are in place). Each problem
is an ``Outcome`` with a verdict other than ``allowed``; a template AWS would run has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rehearsal.calls import Call, CallLister
from rehearsal.simulate import Request, evaluate
from rehearsal.template import DeployedTemplate

ALLOWED = "allowed"
DENIED = "denied"
UNROUTABLE = "unroutable"
#: Allowed on our side; the other side (an imported resource) is its owner's to allow.
EXTERNAL = "external"
RETAINED_BROKEN = "retained-broken"


@dataclass(frozen=True)
class Outcome:
    """The verdict on one call or one route."""

    family: str
    verdict: str
    subject: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True unless AWS would refuse or fail it."""
        return self.verdict in (ALLOWED, EXTERNAL)

    def __str__(self) -> str:
        return f"{self.verdict.upper()} [{self.family}] {self.subject}" + (
            f": {self.detail}" if self.detail else ""
        )


def identity_policies(deployed: DeployedTemplate, role: str) -> dict[str, Mapping[str, Any]]:
    """Every policy document the template attaches to the role (inline and managed)."""
    name = deployed.physical_id(role)
    role_arn = deployed._attribute(role, "Arn")
    props = deployed.resources[role]["Properties"]
    found: dict[str, Mapping[str, Any]] = {
        f"{role}/{p['PolicyName']}": p["PolicyDocument"] for p in props.get("Policies", [])
    }
    attached = set(props.get("ManagedPolicyArns", []))
    for logical_id, policy in deployed.of_type("AWS::IAM::ManagedPolicy").items():
        policy_props = policy["Properties"]
        if name in policy_props.get("Roles", []) or deployed.physical_id(logical_id) in attached:
            found[logical_id] = policy_props["PolicyDocument"]
    for logical_id, policy in deployed.of_type("AWS::IAM::Policy").items():
        if name in policy["Properties"].get("Roles", []):
            found[logical_id] = policy["Properties"]["PolicyDocument"]
    del role_arn
    return found


def _request(deployed: DeployedTemplate, call: Call) -> Request | None:
    env = deployed.env
    if call.service:
        return Request(
            action=call.action,
            resource=call.resource,
            principal=call.service,
            resource_account=call.resource_account or env.account,
            resource_policy=call.resource_policy,
            context=dict(call.context),
        )
    if call.role is None:
        return None
    return Request(
        action=call.action,
        resource=call.resource,
        principal=deployed._attribute(call.role, "Arn"),
        resource_account=call.resource_account or env.account,
        identity_policies=identity_policies(deployed, call.role),
        resource_policy=call.resource_policy,
        context=dict(call.context),
    )


def evaluate_calls(deployed: DeployedTemplate, calls: Sequence[Call]) -> list[Outcome]:
    """The simulator's verdict on each call (one batch)."""
    requests = [_request(deployed, call) for call in calls]
    decisions = evaluate([r for r in requests if r is not None])
    outcomes = []
    it = iter(decisions)
    for call, request in zip(calls, requests, strict=True):
        if request is None:
            outcomes.append(Outcome(call.family, UNROUTABLE, str(call), "no calling role found"))
            continue
        decision = next(it)
        external = bool(call.external)
        if decision.allowed:
            verdict = ALLOWED
        elif external and call.resource_policy is None and decision.result == "ImplicitlyDenied":
            # Only the resource side (owned elsewhere) is missing; the identity side is ours.
            identity_ok = "identity policies: Allowed" in decision.detail
            verdict = EXTERNAL if identity_ok or call.service else DENIED
        else:
            verdict = DENIED
        detail = decision.detail if verdict == DENIED else call.external
        outcomes.append(Outcome(call.family, verdict, str(call), detail))
    return outcomes


def _s3_gateway_routes(deployed: DeployedTemplate) -> dict[str, list[str]]:
    service = f"com.amazonaws.{deployed.env.region}.s3"
    routes: dict[str, list[str]] = {}
    for logical_id, endpoint in deployed.of_type("AWS::EC2::VPCEndpoint").items():
        props = endpoint["Properties"]
        if props.get("ServiceName") != service:
            continue
        if props.get("VpcEndpointType", "Gateway") != "Gateway":
            continue
        for table in props.get("RouteTableIds", []):
            routes.setdefault(table, []).append(logical_id)
    return routes


def network(
    deployed: DeployedTemplate, warnings: Iterable[str] = (), assumed: Iterable[str] = ()
) -> Iterator[Outcome]:
    """Every job subnet routes to S3; every job's security groups reach S3 and each other.

    A subnet the template does not define passes only when the stack warned about it at
    synth, or when it is in ``assumed`` (its author vouches for its routes, e.g. with
    ``s3_gateway_endpoint=False``)."""
    warning_text = "\n".join(warnings)
    vouched = set(assumed)
    gateways = _s3_gateway_routes(deployed)
    for table, endpoints in gateways.items():
        if len(endpoints) > 1:
            yield Outcome(
                "network",
                UNROUTABLE,
                f"route table {table}",
                f"two S3 gateway endpoints ({', '.join(endpoints)}) on one route table: "
                "CloudFormation fails on the duplicate prefix-list route",
            )
    associations = {
        a["Properties"]["SubnetId"]: a["Properties"]["RouteTableId"]
        for a in deployed.of_type("AWS::EC2::SubnetRouteTableAssociation").values()
    }
    default_routes = {
        r["Properties"]["RouteTableId"]
        for r in deployed.of_type("AWS::EC2::Route").values()
        if r["Properties"].get("DestinationCidrBlock") == "0.0.0.0/0"
        and (r["Properties"].get("NatGatewayId") or r["Properties"].get("GatewayId"))
    }
    lister = CallLister(deployed)
    for logical_id, job in lister.jobs().items():
        vpc = job["Properties"]["Request"].get("VpcConfig")
        if not vpc:
            continue
        for subnet in vpc["Subnets"]:
            subject = f"{logical_id} subnet {subnet} -> S3"
            if deployed.by_attribute("AWS::EC2::Subnet", "Ref", subnet) is None:
                if subnet in warning_text:
                    yield Outcome("network", EXTERNAL, subject, "imported subnet; warned at synth")
                elif subnet in vouched:
                    yield Outcome("network", EXTERNAL, subject, "imported subnet; routes vouched")
                else:
                    yield Outcome(
                        "network",
                        UNROUTABLE,
                        subject,
                        "imported subnet whose route to S3 nothing checks or warns about",
                    )
                continue
            subnet_table = associations.get(subnet)
            if subnet_table in gateways:
                yield Outcome("network", ALLOWED, subject, f"S3 gateway endpoint on {subnet_table}")
            elif subnet_table in default_routes:
                yield Outcome("network", ALLOWED, subject, f"default route on {subnet_table}")
            else:
                yield Outcome(
                    "network",
                    UNROUTABLE,
                    subject,
                    f"route table {subnet_table} has no S3 gateway endpoint and no NAT/internet "
                    "route",
                )
        yield from _security_groups(deployed, logical_id, list(vpc["SecurityGroupIds"]))


def _rules(deployed: DeployedTemplate, group_id: str, direction: str) -> list[dict[str, Any]]:
    """A group's rules in one direction (``Ingress``/``Egress``), inline and separate."""
    group = deployed.by_attribute("AWS::EC2::SecurityGroup", "GroupId", group_id)
    assert group is not None
    inline = deployed.resources[group]["Properties"].get(f"SecurityGroup{direction}")
    rules: list[dict[str, Any]] = list(inline or [])
    if direction == "Egress" and inline is None:
        # CloudFormation gives a group without SecurityGroupEgress EC2's allow-all egress.
        rules.append({"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"})
    for rule in deployed.of_type(f"AWS::EC2::SecurityGroup{direction}").values():
        if rule["Properties"].get("GroupId") == group_id:
            rules.append(rule["Properties"])
    return rules


def _covers(rule: Mapping[str, Any], protocol: str, port: int) -> bool:
    if str(rule.get("IpProtocol")) == "-1":
        return True
    if str(rule.get("IpProtocol")) != protocol:
        return False
    return int(rule.get("FromPort", 0)) <= port <= int(rule.get("ToPort", 65535))


def _security_groups(deployed: DeployedTemplate, job: str, groups: list[str]) -> Iterator[Outcome]:
    known = [g for g in groups if deployed.by_attribute("AWS::EC2::SecurityGroup", "GroupId", g)]
    if len(known) < len(groups):
        yield Outcome(
            "network",
            EXTERNAL,
            f"{job} security groups {groups}",
            "imported groups: their rules are their owner's",
        )
        return
    egress = [r for g in groups for r in _rules(deployed, g, "Egress")]
    to_s3 = [
        r
        for r in egress
        if _covers(r, "tcp", 443)
        and (r.get("CidrIp") == "0.0.0.0/0" or r.get("DestinationPrefixListId"))
    ]
    yield Outcome(
        "network",
        ALLOWED if to_s3 else UNROUTABLE,
        f"{job} security groups -> S3 on 443",
        "" if to_s3 else "no egress rule lets TCP 443 out to S3",
    )
    members = set(groups)
    ingress = [
        r
        for g in groups
        for r in _rules(deployed, g, "Ingress")
        if r.get("SourceSecurityGroupId") in members
        and _covers(r, "tcp", 0)
        and _covers(r, "tcp", 65535)
    ]
    self_egress = [
        r
        for r in egress
        if (r.get("DestinationSecurityGroupId") in members or r.get("CidrIp") == "0.0.0.0/0")
        and _covers(r, "tcp", 0)
        and _covers(r, "tcp", 65535)
    ]
    both = bool(ingress and self_egress)
    yield Outcome(
        "network",
        ALLOWED if both else UNROUTABLE,
        f"{job} security groups -> own members",
        "" if both else "distributed job containers cannot reach each other on TCP",
    )


def teardown(deployed: DeployedTemplate) -> Iterator[Outcome]:
    """What a stack deletion keeps must stay usable: a retained log group's key is retained."""
    lister = CallLister(deployed)
    for logical_id, group in deployed.of_type("AWS::Logs::LogGroup").items():
        if group.get("DeletionPolicy") != "Retain":
            continue
        key_ref = group["Properties"].get("KmsKeyId")
        key = lister.key_by_reference(key_ref) if key_ref else None
        if key is None:
            continue
        kept = deployed.resources[key].get("DeletionPolicy") == "Retain"
        yield Outcome(
            "teardown",
            ALLOWED if kept else RETAINED_BROKEN,
            f"retained log group {logical_id} -> key {key}",
            ""
            if kept
            else "the key is deleted with the stack: the retained logs become unreadable",
        )


#: The synth warning a stack gives when its log key is imported (``JobHandler``'s
#: ``LOG_KEY_POLICY_WARNING``): the key policy is its owner's, who is told what to add.
LOG_KEY_POLICY_WARNING = "comprehend-jobs:log-key-policy"


def log_keys(deployed: DeployedTemplate, warnings: Iterable[str] = ()) -> Iterator[Outcome]:
    """May CloudWatch Logs use each log group's key? A key of the template is judged by
    its key policy with the other calls (family ``logs``); a key the template does not
    hold (imported, another account's) passes only when the stack warned at synth that its
    owner must let CloudWatch Logs use it, for without that statement CloudFormation fails
    to create the group."""
    warned = any(LOG_KEY_POLICY_WARNING in w for w in warnings)
    lister = CallLister(deployed)
    for logical_id, group in deployed.of_type("AWS::Logs::LogGroup").items():
        key_ref = group["Properties"].get("KmsKeyId")
        if not key_ref or lister.key_by_reference(key_ref) is not None:
            continue
        yield Outcome(
            "logs",
            EXTERNAL if warned else DENIED,
            f"CloudWatch Logs for {logical_id} -> key {key_ref}",
            "imported log key; warned at synth"
            if warned
            else "a key the template does not hold, whose policy nothing warns must let "
            "CloudWatch Logs use it: creating the log group fails",
        )


def rehearse(
    deployed: DeployedTemplate,
    warnings: Iterable[str] = (),
    assumed_routes: Iterable[str] = (),
    bucket_keys: Mapping[str, str] | None = None,
) -> list[Outcome]:
    """Every call, route and teardown check of one stack (``assumed_routes``: imported
    subnets whose route to S3 the stack's author vouches for; ``bucket_keys``: the default
    KMS key of each bucket the template does not make, by name, as its owner set it)."""
    lister = CallLister(deployed, bucket_keys)
    outcomes = [
        Outcome("framework", UNROUTABLE, f"{job} -> handler", problem)
        for job, problem in lister.routes()
    ]
    outcomes += evaluate_calls(deployed, lister.all())
    outcomes += list(network(deployed, warnings, assumed_routes))
    outcomes += list(log_keys(deployed, warnings))
    outcomes += list(teardown(deployed))
    return outcomes


def rehearse_update(old: DeployedTemplate, new: DeployedTemplate) -> list[Outcome]:
    """The cleanup phase of an update from ``old`` to ``new``: each job the update removes
    gets its Delete (Describe, then Stop) with the NEW template's policies for every role
    the new template still has. So does a rollback's return to a job of a type the new
    template no longer uses (a JobType changed in place): the handler finds the job by its
    name and key tag (List, ListTagsForResource) and re-tags it (Tag, Untag)."""
    old_lister = CallLister(old)
    removed = {k: v for k, v in old_lister.jobs().items() if k not in new.raw_resources}
    calls = [
        call
        for logical_id, job in removed.items()
        for call in old_lister.handler_calls(
            logical_id, job, verbs=("Describe", "Stop", "Find", "Tag")
        )
    ]
    for call in calls:
        if call.role is not None and call.role not in new.raw_resources:
            raise AssertionError(f"{call.role} is removed too; its policies go with it")
    # The roles keep their logical IDs, so the new template's policies apply.
    return [Outcome("cleanup", o.verdict, o.subject, o.detail) for o in evaluate_calls(new, calls)]


def problems(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """The outcomes AWS would refuse."""
    return [o for o in outcomes if not o.ok]
