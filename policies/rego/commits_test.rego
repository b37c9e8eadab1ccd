package autocode.commits_test

import data.autocode.commits

with_commits(cs) := {"operation": "write", "change": {"origin": "human"}, "commits": cs}

test_allow_all_verified if {
	commits.result.outcome == "pass" with input as with_commits([{"sha": "a1", "verified": true}])
}

test_deny_unverified_with_reason if {
	cs := [{"sha": "a1", "verified": true}, {"sha": "b2", "verified": false, "reason": "unknown_key"}]
	commits.deny == {{"rule": "verified-commits", "message": "commit b2 is not verified (unknown_key)"}} with input as with_commits(cs)
}

test_deny_unverified_without_reason if {
	some v in commits.deny with input as with_commits([{"sha": "c3"}])
	v.message == "commit c3 is not verified (unsigned)"
}

test_disabled_by_config if {
	commits.result.outcome == "skip" with input as with_commits([{"sha": "c3"}])
		with data.config as {"verified_commits": {"enabled": false}}
}
