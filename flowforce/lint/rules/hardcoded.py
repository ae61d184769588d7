"""Literals that tie a flow to one org or leak a credential: record ids, instance URLs, secrets.

They are searched in every text the element holds in the file (values, formulas, screen texts, labels), as
the scanner does, but an 18-character candidate only counts when its case checksum is right, so an ordinary
18-letter word is not taken for an id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import RuleOptions, Violation
from flowforce.records.ids import checksum_suffix

# Three-character key prefix, two-character pod, a reserved "0", nine more; optionally the 3-char checksum.
_ID_CANDIDATE = re.compile(r"\b[a-zA-Z0-9]{5}0[a-zA-Z0-9]{9}(?:[a-zA-Z0-9]{3})?\b")
# Instance-specific hosts: My Domain, Lightning, Visualforce and Experience Cloud sites.
_ORG_URL = re.compile(
    r"https?://[-a-zA-Z0-9@:%._+~#=]{1,256}\.(?:force\.com|my\.salesforce\.com|salesforce-sites\.com)\b[^\s\"'<]*",
    re.IGNORECASE,
)

# (what it is, pattern). Distinctive token formats first, then credential-looking assignments.
_SECRETS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, flags))
    for label, pattern, flags in (
        ("an AWS access key id", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", 0),
        ("a private key", r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----", 0),
        ("a Salesforce session id", r"\b00D[a-zA-Z0-9]{12,15}![a-zA-Z0-9._]{40,}", 0),
        ("a Salesforce refresh token", r"\b5Aep[a-zA-Z0-9._]{60,}", 0),
        ("a GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,}", 0),
        ("a Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}", 0),
        ("a Slack webhook", r"hooks\.slack\.com/services/[A-Z0-9]+/[A-Z0-9]+/[A-Za-z0-9]{16,}", 0),
        ("a Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b", 0),
        ("a Stripe key", r"\b(?:sk|rk)_(?:live|test)_[0-9a-zA-Z]{20,}", 0),
        ("a SendGrid key", r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{30,}", 0),
        ("an OpenAI or Anthropic key", r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{32,}", 0),
        ("a JSON Web Token", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}", 0),
        ("a bearer token", r"\bBearer\s+[A-Za-z0-9._~+/=-]{20,}", re.IGNORECASE),
        ("basic-auth credentials", r"\bBasic\s+[A-Za-z0-9+/]{16,}={0,2}", 0),
        (
            "a password or secret",
            r"\b(?:password|passwd|pwd|secret|client_secret|api_?key|access_?token)\b\s*[:=]\s*[\"']?[^\s\"'&<]{8,}",
            re.IGNORECASE,
        ),
    )
)


def _is_record_id(candidate: str) -> bool:
    """A 15-character candidate is taken as the scanner takes it; an 18-character one needs its checksum."""
    return len(candidate) == 15 or candidate[15:] == checksum_suffix(candidate[:15])


def hardcoded_id(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    for name, element in facts.source.elements.items():
        found = [match for match in _ID_CANDIDATE.findall(element.text) if _is_record_id(match)]
        if found:
            ids = list(dict.fromkeys(found))
            yield Violation(
                name, f"{name} holds the record id {', '.join(ids)}, which exists in one org only", element=name,
                details={"ids": ids},
            )


def hardcoded_url(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    for name, element in facts.source.elements.items():
        urls = list(dict.fromkeys(_ORG_URL.findall(element.text)))
        if urls:
            yield Violation(
                name, f"{name} holds the org-specific URL {', '.join(urls)}; use $Api or a custom label",
                element=name, details={"urls": urls},
            )


def hardcoded_secret(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    for name, element in facts.source.elements.items():
        for label, pattern in _SECRETS:
            match = pattern.search(element.text)
            if match:
                yield Violation(
                    name, f"{name} holds {label} ({mask(match.group(0))}); keep it in a Named Credential",
                    element=name, details={"kind": label},
                )
                break


def mask(secret: str) -> str:
    """Enough of a secret to find it, not enough to use it."""
    return f"{secret[:4]}…{secret[-4:]}" if len(secret) > 12 else f"{secret[:4]}…"
