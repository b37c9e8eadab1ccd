# Shared facts and configuration for every autocode rule.
#
# Configuration lives in `data.config` (set by the engine from the repo's policy config) and is merged over
# `defaults` key by key, so a repo only states what it changes. The wasm target has no clock, http or crypto
# builtins: everything time-, network- or hash-dependent arrives pre-computed in `input` (see
# policies/src/schema.ts for the input's JSON Schema).
package autocode.lib

defaults := {
	"approvals": {
		"required": 1,
		"protected_refs": ["main", "master", "production", "release/*"],
		"protected_repos": [],
		"ignore": [],
	},
	"secrets": {"allowlist": [], "entropy": "warn"},
	"required_checks": {"names": ["CodeQL"]},
	"todo_markers": {"markers": ["TODO", "FIXME", "XXX"]},
	"verified_commits": {"enabled": true},
	"protected_paths": {
		"mode": "deny",
		# Exact file names in any directory (set lookups: cheap on every file of a change).
		"names": [
			"CODEOWNERS",
			"autocode-policy.yaml",
			"package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
			"go.mod", "go.sum", "Cargo.toml", "Cargo.lock",
			"Pipfile", "Pipfile.lock", "poetry.lock", "pyproject.toml",
			"Gemfile", "Gemfile.lock", "pom.xml", "build.gradle", "build.gradle.kts",
			"composer.json", "composer.lock",
		],
		# Path prefixes (directories).
		"prefixes": [".github/workflows/"],
		# Globs over the whole path ("/" separates segments); the costliest form, keep the list short.
		"patterns": ["{,**/}requirements*.txt"],
	},
	"limits": {"applies_to": "automation", "max_files": 100, "max_changed_lines": 5000, "max_bytes": 1048576},
	"binaries": {"enabled": true},
	"kill_switch": {"enabled": true},
	"cost": {"min_admin_approvals": 2},
}

default user_config := {}

user_config := data.config

config := object.union(defaults, user_config)

default operation := "write"

operation := input.operation

change := object.get(input, "change", {})

default origin := "human"

origin := change.origin

# Automation-authored: a workflow (sync, rotation) or an LLM (codegen) wrote the change.
automation if origin != "human"

author := lower(object.get(change, "author", ""))

requester := lower(object.get(change, "requester", ""))

head_sha := object.get(change, "head_sha", "")

files := object.get(change, "files", [])

target := object.get(input, "target", {})

default protected_target := false

protected_target if target.protected == true

protected_target if {
	some pattern in config.approvals.protected_refs
	glob.match(pattern, ["/"], object.get(target, "ref", ""))
}

protected_target if {
	some pattern in config.approvals.protected_repos
	glob.match(pattern, [], object.get(input, "repository", ""))
}

# A bot account by GitHub's own marking, its login suffix, or the config's ignore list (machine users).
bot(actor) if actor.bot == true

bot(actor) if endswith(lower(actor.login), "[bot]")

bot(actor) if lower(actor.login) in {lower(l) | some l in config.approvals.ignore}

# A deny/warn entry; `path`/`line` only when the finding has a location.
violation(id, message) := {"rule": id, "message": message}

located(id, message, path, line) := {"rule": id, "message": message, "path": path, "line": line}

at_path(id, message, path) := {"rule": id, "message": message, "path": path}

# Outcome of one rule for the summary table.
result(id, title, applies, deny, warn) := {
	"id": id,
	"title": title,
	"outcome": outcome(applies, deny, warn),
	"deny": deny,
	"warn": warn,
}

outcome(_, deny, _) := "deny" if count(deny) > 0

outcome(_, deny, warn) := "warn" if {
	count(deny) == 0
	count(warn) > 0
}

outcome(applies, deny, warn) := "pass" if {
	applies
	count(deny) == 0
	count(warn) == 0
}

outcome(applies, deny, warn) := "skip" if {
	not applies
	count(deny) == 0
	count(warn) == 0
}
