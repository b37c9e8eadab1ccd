# verified-commits: every commit in the change carries a verified signature (GitHub's verification result,
# or the signer's check for local diffs). Unsigned commits cannot be attributed to the App or a person.
package autocode.commits

import data.autocode.lib

id := "verified-commits"

title := "Every commit verified"

commits := object.get(input, "commits", [])

default applies := false

applies if {
	lib.config.verified_commits.enabled
	count(commits) > 0
}

deny contains v if {
	applies
	some c in commits
	not verified(c)
	v := lib.violation(id, sprintf("commit %s is not verified (%s)", [c.sha, object.get(c, "reason", "unsigned")]))
}

verified(c) if c.verified == true

result := lib.result(id, title, applies, deny, set())
