# The one entrypoint (`autocode/decision`): every rule's outcome plus the union of their deny and warn
# entries. `allow` is true when nothing denies; warnings never block.
package autocode

import data.autocode.approvals
import data.autocode.binaries
import data.autocode.checks
import data.autocode.commits
import data.autocode.cost
import data.autocode.killswitch
import data.autocode.limits
import data.autocode.markers
import data.autocode.paths
import data.autocode.secrets

results := [
	killswitch.result,
	approvals.result,
	secrets.result,
	checks.result,
	markers.result,
	commits.result,
	paths.result,
	limits.result,
	binaries.result,
	cost.result,
]

deny := {v | some r in results; some v in r.deny}

warn := {v | some r in results; some v in r.warn}

decision := {
	"allow": count(deny) == 0,
	"deny": deny,
	"warn": warn,
	"rules": [{"id": r.id, "title": r.title, "outcome": r.outcome} | some r in results],
}
