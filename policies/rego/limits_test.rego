package autocode.limits_test

import data.autocode.limits

sized(origin, totals) := {"operation": "write", "change": {"origin": origin, "totals": totals}}

small := {"files": 3, "additions": 40, "deletions": 10, "bytes": 2048}

test_allow_small_automation_change if {
	limits.result.outcome == "pass" with input as sized("llm", small)
}

test_deny_each_limit if {
	big := {"files": 101, "additions": 4000, "deletions": 1001, "bytes": 1048577}
	msgs := {v.message | some v in limits.deny} with input as sized("automation", big)
	msgs == {
		"the change has 101 files; the limit is 100",
		"the change has 5001 changed lines; the limit is 5000",
		"the change has 1048577 bytes; the limit is 1048576",
	}
}

test_human_changes_unlimited_by_default if {
	limits.result.outcome == "skip" with input as sized("human", {"files": 500})
}

test_applies_to_all_when_configured if {
	count(limits.deny) == 1 with input as sized("human", {"files": 500})
		with data.config as {"limits": {"applies_to": "all"}}
}

test_files_counted_from_list_without_totals if {
	inp := {"change": {"origin": "llm", "files": [{"path": "a"}, {"path": "b"}]}}
	count(limits.deny) == 1 with input as inp with data.config as {"limits": {"max_files": 1}}
}
