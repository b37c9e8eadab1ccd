# human-approvals: a merge into a protected target needs N human approvals on the current head SHA.
# Bots, the PR author and the person who requested an AI change do not count: none of them is an
# independent reviewer. N is the target's `require_approvals` (repo config) or `approvals.required`.
package autocode.approvals

import data.autocode.lib

id := "human-approvals"

title := "Human approvals on the head commit"

required := n if {
	n := lib.target.require_approvals
	n > 0
} else := lib.config.approvals.required

default applies := false

applies if {
	lib.operation == "merge"
	lib.protected_target
	required > 0
}

approvals := object.get(input, "approvals", [])

# Why an approval does not count (first reason wins), keyed by login.
discounted[login] := reason if {
	some a in approvals
	login := lower(a.login)
	reason := discount_reason(a)
}

discount_reason(a) := "bot" if lib.bot(a)

else := "PR author" if lower(a.login) == lib.author

else := "requested the change" if lower(a.login) == lib.requester

else := "approved an older commit" if a.commit_id != lib.head_sha

counted := {lower(a.login) | some a in approvals} - {login | some login, _ in discounted}

deny contains v if {
	applies
	count(counted) < required
	notes := sort([sprintf("%s: %s", [login, reason]) | some login, reason in discounted])
	v := lib.violation(id, sprintf("merging into %s needs %d human approval(s) on %s; found %d%s", [
		object.get(lib.target, "ref", "the target"),
		required,
		lib.head_sha,
		count(counted),
		suffix(notes),
	]))
}

suffix(notes) := "" if count(notes) == 0

else := concat("", [" (not counted: ", concat(", ", notes), ")"])

result := lib.result(id, title, applies, deny, set())
