package autocode.cost_test

import data.autocode.cost

proposal(approvals) := {"operation": "cost", "cost": {"proposer": "alice", "approvals": approvals}}

test_allow_two_distinct_admins if {
	cost.result.outcome == "pass" with input as proposal([{"login": "bob", "admin": true}, {"login": "carol", "admin": true}])
}

test_deny_proposer_duplicates_and_non_admins if {
	approvals := [
		{"login": "Alice", "admin": true},
		{"login": "bob", "admin": true},
		{"login": "BOB", "admin": true},
		{"login": "dave", "admin": false},
		{"login": "ops[bot]", "admin": true},
	]
	cost.deny == {{
		"rule": "cost-approvals",
		"message": "a cost-affecting operation needs 2 distinct admin approval(s) besides the proposer alice; found 1",
	}} with input as proposal(approvals)
}

test_configured_minimum if {
	count(cost.deny) == 1 with input as proposal([{"login": "bob", "admin": true}, {"login": "carol", "admin": true}])
		with data.config as {"cost": {"min_admin_approvals": 3}}
}

test_skip_other_operations if {
	cost.result.outcome == "skip" with input as {"operation": "merge"}
}
