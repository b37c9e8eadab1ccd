package autocode_test

import data.autocode

clean := {
	"operation": "merge",
	"target": {"ref": "main"},
	"change": {
		"origin": "llm",
		"author": "autocode[bot]",
		"requester": "carol",
		"head_sha": "h2",
		"files": [{"path": "src/a.ts", "status": "modified", "binary": false}],
		"totals": {"files": 1, "additions": 3, "deletions": 1, "bytes": 90},
		"markers": [],
		"findings": [],
	},
	"commits": [{"sha": "h2", "verified": true}],
	"approvals": [{"login": "alice", "commit_id": "h2"}],
	"checks": [{"name": "CodeQL", "head_sha": "h2", "conclusion": "success"}],
	"kill_switch": {"active": false},
}

test_clean_change_is_allowed if {
	d := autocode.decision with input as clean
	d.allow
	d.deny == set()
	d.warn == set()
	{r.id: r.outcome | some r in d.rules}["cost-approvals"] == "skip"
	count([r | some r in d.rules; r.outcome == "pass"]) == 9
}

test_secret_and_bot_approval_are_denied if {
	bad := object.union(clean, {
		"change": {"findings": [{
			"path": "src/a.ts", "line": 2, "rule": "aws-access-key-id", "kind": "secret",
			"description": "AWS access key id", "fingerprint": "sha256:1",
		}]},
		"approvals": [{"login": "dependabot[bot]", "commit_id": "h2", "bot": true}],
	})
	d := autocode.decision with input as bad
	not d.allow
	{v.rule | some v in d.deny} == {"no-secrets", "human-approvals"}
}

test_warnings_do_not_block if {
	warned := object.union(clean, {"change": {"files": [{"path": "package.json"}]}})
	d := autocode.decision with input as warned with data.config as {"protected_paths": {"mode": "review"}}
	d.allow
	count(d.warn) == 1
}

test_empty_input_is_allowed if {
	d := autocode.decision with input as {}
	d.allow
}
