# cost-approvals: an operation that changes spend (plans, seats, runners, budgets) needs approvals from at
# least `cost.min_admin_approvals` distinct admins; the proposer's own approval and bots do not count.
package autocode.cost

import data.autocode.lib

id := "cost-approvals"

title := "Cost changes approved by distinct admins"

required := lib.config.cost.min_admin_approvals

default applies := false

applies if lib.operation == "cost"

proposal := object.get(input, "cost", {})

proposer := lower(object.get(proposal, "proposer", ""))

admins := {lower(a.login) |
	some a in object.get(proposal, "approvals", [])
	a.admin == true
	not lib.bot(a)
	lower(a.login) != proposer
}

deny contains v if {
	applies
	count(admins) < required
	v := lib.violation(id, sprintf("a cost-affecting operation needs %d distinct admin approval(s) besides the proposer %s; found %d", [required, proposer, count(admins)]))
}

result := lib.result(id, title, applies, deny, set())
