package autocode.checks_test

import data.autocode.checks

merge(runs) := {
	"operation": "merge",
	"change": {"origin": "human", "head_sha": "h2"},
	"checks": runs,
}

test_allow_codeql_success_on_head if {
	checks.result.outcome == "pass" with input as merge([{"name": "CodeQL", "head_sha": "h2", "conclusion": "success"}])
}

test_allow_when_a_rerun_succeeded if {
	runs := [
		{"name": "CodeQL", "head_sha": "h2", "conclusion": "failure"},
		{"name": "CodeQL", "head_sha": "h2", "conclusion": "success"},
	]
	count(checks.deny) == 0 with input as merge(runs)
}

test_deny_missing_check if {
	some v in checks.deny with input as merge([])
	v.message == "required check CodeQL has not run on the head commit (h2)"
}

test_deny_success_on_older_commit if {
	some v in checks.deny with input as merge([{"name": "CodeQL", "head_sha": "h1", "conclusion": "success"}])
	contains(v.message, "has not run on the head commit")
}

test_deny_failed_and_pending if {
	runs := [
		{"name": "CodeQL", "head_sha": "h2", "conclusion": "failure"},
		{"name": "CodeQL", "head_sha": "h2", "conclusion": null},
	]
	some v in checks.deny with input as merge(runs)
	v.message == "required check CodeQL concluded failure/pending (h2)"
}

test_configured_names if {
	runs := [{"name": "CodeQL", "head_sha": "h2", "conclusion": "success"}]
	count(checks.deny) == 1 with input as merge(runs) with data.config as {"required_checks": {"names": ["CodeQL", "build"]}}
	checks.result.outcome == "skip" with input as merge([]) with data.config as {"required_checks": {"names": []}}
}

test_skip_outside_merge if {
	checks.result.outcome == "skip" with input as object.union(merge([]), {"operation": "write"})
}
