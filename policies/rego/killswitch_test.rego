package autocode.killswitch_test

import data.autocode.killswitch

op(operation, origin, ks) := {"operation": operation, "change": {"origin": origin}, "kill_switch": ks}

test_deny_automation_write_when_active if {
	killswitch.deny == {{
		"rule": "kill-switch",
		"message": "the kill switch is active (budget exceeded); automation writes are denied",
	}} with input as op("write", "llm", {"active": true, "reason": "budget exceeded"})
}

test_deny_without_reason_and_for_cost if {
	some v in killswitch.deny with input as op("cost", "human", {"active": true})
	v.message == "the kill switch is active; automation writes are denied"
}

test_allow_when_inactive if {
	killswitch.result.outcome == "pass" with input as op("merge", "automation", {"active": false})
	killswitch.result.outcome == "pass" with input as op("write", "automation", {})
}

test_human_changes_not_stopped if {
	killswitch.result.outcome == "skip" with input as op("merge", "human", {"active": true})
}

test_disabled_by_config if {
	killswitch.result.outcome == "skip" with input as op("write", "llm", {"active": true})
		with data.config as {"kill_switch": {"enabled": false}}
}
