package autocode.binaries_test

import data.autocode.binaries

files(origin, fs) := {"operation": "write", "change": {"origin": origin, "files": fs}}

png := {"path": "assets/logo.png", "status": "added", "binary": true}

test_deny_binary_from_llm if {
	binaries.deny == {{
		"rule": "no-llm-binaries",
		"message": "LLM-authored change writes binary file assets/logo.png",
		"path": "assets/logo.png",
	}} with input as files("llm", [png])
}

test_allow_removing_a_binary if {
	binaries.result.outcome == "pass" with input as files("llm", [object.union(png, {"status": "removed"})])
}

test_allow_binary_from_sync_or_human if {
	binaries.result.outcome == "skip" with input as files("automation", [png])
	binaries.result.outcome == "skip" with input as files("human", [png])
}

test_disabled_by_config if {
	binaries.result.outcome == "skip" with input as files("llm", [png]) with data.config as {"binaries": {"enabled": false}}
}
