package autocode.approvals_test

import data.autocode.approvals

merge(reviews) := {
	"operation": "merge",
	"target": {"ref": "main"},
	"change": {"origin": "llm", "author": "autocode[bot]", "requester": "carol", "head_sha": "h2"},
	"approvals": reviews,
}

test_allow_one_human_approval_on_head if {
	count(approvals.deny) == 0 with input as merge([{"login": "alice", "commit_id": "h2"}])
	approvals.result.outcome == "pass" with input as merge([{"login": "alice", "commit_id": "h2"}])
}

test_deny_bot_only_approval if {
	some v in approvals.deny with input as merge([{"login": "renovate[bot]", "commit_id": "h2", "bot": true}])
	v.rule == "human-approvals"
	contains(v.message, "renovate[bot]: bot")
}

test_deny_bot_flag_and_ignored_machine_user if {
	reviews := [{"login": "ci-bot", "commit_id": "h2", "bot": true}, {"login": "deploy-user", "commit_id": "h2"}]
	count(approvals.deny) == 1 with input as merge(reviews)
		with data.config as {"approvals": {"ignore": ["Deploy-User"]}}
}

test_deny_author_and_requester if {
	reviews := [{"login": "Carol", "commit_id": "h2"}, {"login": "autocode[bot]", "commit_id": "h2"}]
	some v in approvals.deny with input as merge(reviews)
	contains(v.message, "carol: requested the change")
}

test_deny_human_author_self_approval if {
	inp := object.union(merge([{"login": "dan", "commit_id": "h2"}]), {"change": {"origin": "human", "author": "dan"}})
	some v in approvals.deny with input as inp
	contains(v.message, "dan: PR author")
}

test_deny_stale_approval if {
	some v in approvals.deny with input as merge([{"login": "alice", "commit_id": "h1"}])
	contains(v.message, "approved an older commit")
}

test_required_from_repo_config if {
	reviews := [{"login": "alice", "commit_id": "h2"}, {"login": "bob", "commit_id": "h2"}]
	count(approvals.deny) == 0 with input as merge(reviews)
	inp := object.union(merge(reviews), {"target": {"require_approvals": 3}})
	some v in approvals.deny with input as inp
	contains(v.message, "needs 3 human approval(s)")
}

test_required_from_data if {
	reviews := [{"login": "alice", "commit_id": "h2"}]
	count(approvals.deny) == 1 with input as merge(reviews) with data.config as {"approvals": {"required": 2}}
}

test_skip_unprotected_target if {
	inp := object.union(merge([]), {"target": {"ref": "feature/x"}})
	count(approvals.deny) == 0 with input as inp
	approvals.result.outcome == "skip" with input as inp
}

test_protected_flag_and_repo_pattern if {
	flagged := object.union(merge([]), {"target": {"ref": "dev", "protected": true}})
	count(approvals.deny) == 1 with input as flagged
	by_repo := object.union(merge([]), {"target": {"ref": "dev"}, "repository": "acme/production"})
	count(approvals.deny) == 1 with input as by_repo with data.config as {"approvals": {"protected_repos": ["*/production"]}}
}

test_skip_non_merge if {
	inp := object.union(merge([]), {"operation": "write"})
	approvals.result.outcome == "skip" with input as inp
}
