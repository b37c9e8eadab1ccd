# no-secrets: no credentials in added lines. Findings come from the scanner (secretlint's recommended preset
# plus autocode's own patterns and an entropy check, see policies/src/scan); removed lines are never
# scanned. A reviewed fingerprint in `secrets.allowlist` suppresses a finding (fixtures, public test keys).
# Pattern hits deny; entropy-only hits warn unless `secrets.entropy` is "deny".
package autocode.secrets

import data.autocode.lib

id := "no-secrets"

title := "No secrets in added lines"

applies := true

allowlisted := {f | some f in lib.config.secrets.allowlist}

findings := [f |
	some f in object.get(lib.change, "findings", [])
	not f.fingerprint in allowlisted
]

message(f) := sprintf("%s (%s) in an added line; fingerprint %s", [f.description, f.rule, f.fingerprint])

deny contains v if {
	some f in findings
	severity(f) == "deny"
	v := lib.located(id, message(f), f.path, f.line)
}

warn contains v if {
	some f in findings
	severity(f) == "warn"
	v := lib.located(id, message(f), f.path, f.line)
}

severity(f) := "deny" if f.kind == "secret"

else := lib.config.secrets.entropy if f.kind == "entropy"

result := lib.result(id, title, applies, deny, warn)
