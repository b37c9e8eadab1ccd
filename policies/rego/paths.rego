# protected-paths: automation may not change workflows, CODEOWNERS, dependency manifests, lockfiles or the
# policy config itself on its own. In mode "deny" such a change is refused; in mode "review" it passes with a
# "needs review" warning.
package autocode.paths

import data.autocode.lib

id := "protected-paths"

title := "Protected paths untouched by automation"

mode := cfg.mode

default applies := false

applies if lib.automation

cfg := lib.config.protected_paths

names := {n | some n in cfg.names}

hits contains f.path if {
	applies
	some f in lib.files
	some path in touched(f)
	protected(path)
}

# A rename or copy out of a protected path changes it too.
touched(f) := {f.path, f.previous_path} if f.previous_path

else := {f.path}

protected(path) if basename(path) in names

protected(path) if {
	some prefix in cfg.prefixes
	startswith(path, prefix)
}

protected(path) if {
	some pattern in cfg.patterns
	glob.match(pattern, ["/"], path)
}

basename(path) := name if {
	parts := split(path, "/")
	name := parts[count(parts) - 1]
}

message(path) := sprintf("automation changed protected path %s", [path]) if mode == "deny"

else := sprintf("automation changed protected path %s: needs review", [path])

deny contains lib.at_path(id, message(path), path) if {
	mode == "deny"
	some path in hits
}

warn contains lib.at_path(id, message(path), path) if {
	mode == "review"
	some path in hits
}

result := lib.result(id, title, applies, deny, warn)
