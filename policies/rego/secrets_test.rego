package autocode.secrets_test

import data.autocode.secrets

finding(kind, fp) := {
	"path": "src/app.ts",
	"line": 7,
	"rule": "github-token",
	"kind": kind,
	"description": "GitHub token",
	"fingerprint": fp,
}

with_findings(fs) := {"operation": "write", "change": {"origin": "human", "findings": fs}}

test_allow_no_findings if {
	secrets.result.outcome == "pass" with input as with_findings([])
}

test_deny_secret_finding_with_location if {
	some v in secrets.deny with input as with_findings([finding("secret", "sha256:aa")])
	v == {
		"rule": "no-secrets",
		"path": "src/app.ts",
		"line": 7,
		"message": "GitHub token (github-token) in an added line; fingerprint sha256:aa",
	}
}

test_warn_entropy_only if {
	inp := with_findings([finding("entropy", "sha256:bb")])
	count(secrets.deny) == 0 with input as inp
	count(secrets.warn) == 1 with input as inp
	secrets.result.outcome == "warn" with input as inp
}

test_deny_entropy_when_configured if {
	count(secrets.deny) == 1 with input as with_findings([finding("entropy", "sha256:bb")])
		with data.config as {"secrets": {"entropy": "deny"}}
}

test_allowlisted_fingerprint_passes if {
	inp := with_findings([finding("secret", "sha256:aa"), finding("entropy", "sha256:bb")])
	secrets.result.outcome == "pass" with input as inp
		with data.config as {"secrets": {"allowlist": ["sha256:aa", "sha256:bb"]}}
}
