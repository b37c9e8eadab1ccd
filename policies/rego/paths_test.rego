package autocode.paths_test

import data.autocode.paths

touching(origin, fs) := {"operation": "write", "change": {"origin": origin, "files": fs}}

test_deny_workflow_change_by_automation if {
	some v in paths.deny with input as touching("llm", [{"path": ".github/workflows/ci.yml"}])
	v == {
		"rule": "protected-paths",
		"message": "automation changed protected path .github/workflows/ci.yml",
		"path": ".github/workflows/ci.yml",
	}
}

test_deny_nested_lockfile_and_codeowners if {
	fs := [
		{"path": "web/package-lock.json"}, {"path": "CODEOWNERS"}, {"path": "go.sum"},
		{"path": ".github/autocode-policy.yaml"}, {"path": "src/x.ts"},
	]
	count(paths.deny) == 4 with input as touching("automation", fs)
}

test_deny_rename_out_of_protected if {
	fs := [{"path": "old-ci.yml", "previous_path": ".github/workflows/ci.yml"}]
	count(paths.deny) == 1 with input as touching("automation", fs)
}

test_review_mode_warns if {
	inp := touching("automation", [{"path": "package.json"}])
	count(paths.deny) == 0 with input as inp with data.config as {"protected_paths": {"mode": "review"}}
	some v in paths.warn with input as inp with data.config as {"protected_paths": {"mode": "review"}}
	v.message == "automation changed protected path package.json: needs review"
}

test_allow_human_and_unprotected if {
	paths.result.outcome == "skip" with input as touching("human", [{"path": ".github/workflows/ci.yml"}])
	paths.result.outcome == "pass" with input as touching("llm", [{"path": "src/package.ts"}])
}

test_configured_patterns if {
	inp := touching("llm", [{"path": "infra/main.tf"}])
	count(paths.deny) == 1 with input as inp with data.config as {"protected_paths": {"patterns": ["infra/**"]}}
}

test_configured_names_and_prefixes if {
	inp := touching("llm", [{"path": "deploy/Chart.yaml"}, {"path": "infra/prod/main.tf"}, {"path": "package.json"}])
	msgs := {v.path | some v in paths.deny} with input as inp
		with data.config as {"protected_paths": {"names": ["Chart.yaml"], "prefixes": ["infra/"]}}
	msgs == {"deploy/Chart.yaml", "infra/prod/main.tf"}
}
