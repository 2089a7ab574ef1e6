"""What a check says and what the chain decides: verdicts, decisions and their reasons.

A reason is a code with parameters, like a refusal: the code picks an English template that each
screen translates. Reasons are stored as JSON with the case, so their parameters are plain values;
a date is kept as {"date": "2030-01-31"} and a term (words a screen translates) as
{"term": code, "params": {...}}, and both are read back as such to be said in the reader's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from saas.errors import Term

PASS, REVIEW, REJECT = "pass", "review", "reject"
VERDICTS = (PASS, REVIEW, REJECT)
APPROVED, MANUAL_REVIEW, REJECTED = "approved", "manual_review", "rejected"
DECISIONS = (APPROVED, MANUAL_REVIEW, REJECTED)
# The decision a chain reaches from the worst verdict among its checks.
_DECIDES = {PASS: APPROVED, REVIEW: MANUAL_REVIEW, REJECT: REJECTED}


def _plain(value: Any) -> Any:
    if isinstance(value, Term):
        return {"term": value.code, "params": {k: _plain(v) for k, v in value.params.items()}}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _read(value: Any) -> Any:
    if isinstance(value, Mapping) and "term" in value:
        return Term(str(value["term"]), **{k: _read(v) for k, v in value["params"].items()})
    if isinstance(value, Mapping) and "date" in value:
        return date.fromisoformat(str(value["date"]))
    return value


@dataclass(frozen=True)
class Reason:
    """Why a check gave its verdict: a code with parameters, said in words by each screen."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **params: Any) -> Reason:
        """A reason with its parameters as they are (terms, dates, text, numbers)."""
        return cls(code, params)

    def term(self) -> Term:
        """The reason as words a screen translates."""
        return Term(self.code, **dict(self.params))

    def to_json(self) -> dict[str, Any]:
        """The reason as stored: its code and plain parameters."""
        return {"code": self.code, "params": {k: _plain(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        """Read a stored reason back."""
        params = data.get("params") or {}
        return cls(str(data["code"]), {k: _read(v) for k, v in params.items()})

    def english(self) -> str:
        """The reason in English, for logs, the CLI and tests."""
        return self.term().english()


@dataclass(frozen=True)
class Result:
    """One check's verdict (pass, review or reject) and its reasons."""

    check: str
    verdict: str
    reasons: tuple[Reason, ...]

    def to_json(self) -> dict[str, Any]:
        """The result as stored with the case."""
        return {
            "check": self.check,
            "verdict": self.verdict,
            "reasons": [r.to_json() for r in self.reasons],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Result:
        """Read a stored result back."""
        reasons = tuple(Reason.from_json(r) for r in data.get("reasons") or [])
        return cls(str(data["check"]), str(data["verdict"]), reasons)


def result(check: str, verdict: str, *reasons: Reason) -> Result:
    """A check's result; a verdict always comes with at least one reason."""
    if verdict not in VERDICTS or not reasons:
        raise ValueError(f"a {check} result needs a verdict of {VERDICTS} and a reason")
    return Result(check, verdict, tuple(reasons))


def worst(verdicts: Iterable[str]) -> str:
    """The worst of some verdicts: reject over review over pass."""
    found = set(verdicts)
    return next((v for v in (REJECT, REVIEW) if v in found), PASS)


def decide(results: Iterable[Result]) -> tuple[str, list[Reason]]:
    """The decision of a chain and why: the reasons of the checks that did not pass."""
    results = list(results)
    verdict = worst(r.verdict for r in results)
    if verdict == PASS:
        return APPROVED, [Reason.of("kyc.decision.all_passed", count=len(results))]
    return _DECIDES[verdict], [x for r in results if r.verdict == verdict for x in r.reasons]
