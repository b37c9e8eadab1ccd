package autocode.markers_test

import data.autocode.markers

change(origin, marks) := {"operation": "write", "change": {"origin": origin, "markers": marks}}

todo := {"path": "src/a.ts", "line": 3, "marker": "TODO"}

test_deny_todo_from_automation if {
	some v in markers.deny with input as change("llm", [todo])
	v == {"rule": "no-todo-markers", "message": "automation added a TODO marker", "path": "src/a.ts", "line": 3}
}

test_allow_todo_from_human if {
	markers.result.outcome == "skip" with input as change("human", [todo])
}

test_allow_clean_automation_change if {
	markers.result.outcome == "pass" with input as change("automation", [])
}

test_configured_markers if {
	count(markers.deny) == 0 with input as change("llm", [todo]) with data.config as {"todo_markers": {"markers": ["FIXME"]}}
	markers.result.outcome == "skip" with input as change("llm", [todo])
		with data.config as {"todo_markers": {"markers": []}}
}
