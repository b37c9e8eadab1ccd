# protected-paths: automation may not change workflows, CODEOWNERS, dependency manifests or lockfiles on its
# own. In mode "deny" such a change is refused; in mode "review" it passes with a "needs review" warning.
package autocode.paths

import data.autocode.lib

id := "protected-paths"

title := "Protected paths untouched by automation"

mode := lib.config.protected_paths.mode

default applies := false

applies if lib.automation

hits contains f.path if {
	applies
	some f in lib.files
	some pattern in lib.config.protected_paths.patterns
	protected(pattern, f)
}

# A rename out of a protected path changes it too.
protected(pattern, f) if glob.match(pattern, ["/"], f.path)

protected(pattern, f) if glob.match(pattern, ["/"], f.previous_path)

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
