"""Is this call allowed? Asked of a maintained IAM evaluator, offline.

``@cloud-copilot/iam-simulate`` (npm, pinned in package.json, installed by ``npm ci``)
evaluates identity policies and a resource policy (a bucket policy, a key policy, a role's
trust policy) for one request the way IAM does: explicit deny, the key-policy and trust
rules, every condition operator, and it checks the action and the resource ARN against the
Service Authorization Reference it bundles. ``simulate.mjs`` runs a whole batch in one
Node process, so the rehearsal pays for Node once per batch, not once per call; and one
Node process (``--serve``) answers every batch of a Python process, so a run that rehearses
hundreds of templates loads Node and the bundled data once.
"""

from __future__ import annotations

import atexit
import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("simulate.mjs")
PACKAGE = ROOT / "node_modules" / "@cloud-copilot" / "iam-simulate"


@dataclass(frozen=True)
class Request:
    """One API call as IAM sees it."""

    #: ``service:Action``.
    action: str
    #: The resource ARN (``*`` for actions without resource types).
    resource: str
    #: The calling principal: a role ARN, or a service principal such as
    #: ``comprehend.amazonaws.com`` (then only the resource policy can allow).
    principal: str
    #: The account that owns the resource.
    resource_account: str
    #: Identity policies of the principal (name -> document).
    identity_policies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: The resource's own policy, when it has one.
    resource_policy: Mapping[str, Any] | None = None
    #: Request context keys (``aws:SourceArn``, ``iam:PassedToService``, ...).
    context: Mapping[str, str | list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The simulation ``simulate.mjs`` runs for this request."""
        return {
            "identityPolicies": [
                {"name": name, "policy": document}
                for name, document in sorted(self.identity_policies.items())
            ],
            "resourcePolicy": self.resource_policy,
            "request": {
                "action": self.action,
                "principal": self.principal,
                "resource": {"resource": self.resource, "accountId": self.resource_account},
                "contextVariables": dict(self.context),
            },
        }


@dataclass(frozen=True)
class Decision:
    """What IAM decides: ``Allowed``, ``ExplicitlyDenied``, ``ImplicitlyDenied`` or
    ``Error`` (the request itself is invalid, e.g. an ARN the action cannot take)."""

    result: str
    detail: str = ""

    @property
    def allowed(self) -> bool:
        """True only for an allowed request."""
        return self.result == "Allowed"


class SimulatorMissingError(RuntimeError):
    """The evaluator is not installed (run the tests through ``make``)."""


class _Server:
    """One ``simulate.mjs --serve`` process: a JSON batch per line each way."""

    def __init__(self, node: str) -> None:
        # A file, not a pipe: nothing reads stderr until the process fails, and a full
        # pipe would block it.
        self.errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [node, str(SCRIPT), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
            cwd=ROOT,
        )
        atexit.register(self.close)

    def ask(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The decisions on one batch of simulations."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(batch) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            self.errors.seek(0)
            raise RuntimeError(f"iam-simulate failed: {self.errors.read()[-2000:]}")
        answer: list[dict[str, Any]] = json.loads(line)
        return answer

    def close(self) -> None:
        """End the process (its stdin closes) and drop its stderr file."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.errors.close()


_SERVERS: dict[str, _Server] = {}


def _server(node: str) -> _Server:
    server = _SERVERS.get(node)
    if server is None or server.process.poll() is not None:
        server = _SERVERS[node] = _Server(node)
    return server


def evaluate(requests: Sequence[Request]) -> list[Decision]:
    """IAM's decision for each request, in order (one batch for the process's simulator)."""
    if not requests:
        return []
    node = shutil.which("node")
    if node is None or not PACKAGE.is_dir():
        raise SimulatorMissingError(
            "the deploy rehearsal needs Node and @cloud-copilot/iam-simulate: run the tests "
            "through `make test` (it runs `npm ci`), or run `npm ci` yourself"
        )
    answers = _server(node).ask([r.to_json() for r in requests])
    decisions = []
    for raw in answers:
        detail = raw.get("note") or ""
        result = raw["result"]
        if result == "Error":
            detail = json.dumps(raw.get("errors"), default=str)[:500]
        elif raw.get("ignored"):
            # A context key the evaluator dropped would make its verdict meaningless.
            result, detail = "Error", f"context keys the evaluator ignored: {raw['ignored']}"
        elif result != "Allowed":
            detail = (
                f"identity policies: {raw.get('identity')}; resource policy: {raw.get('resource')}"
            )
        decisions.append(Decision(result, detail))
    return decisions
