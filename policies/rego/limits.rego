# change-limits: a change stays reviewable. Caps on files, changed lines (additions + deletions) and added
# bytes; by default only automation-authored changes are limited (`limits.applies_to: all` limits everyone).
package autocode.limits

import data.autocode.lib

id := "change-limits"

title := "Change size within limits"

cfg := lib.config.limits

default applies := false

applies if lib.automation

applies if cfg.applies_to == "all"

totals := object.get(lib.change, "totals", {})

measured := {
	"files": object.get(totals, "files", count(lib.files)),
	"changed lines": object.get(totals, "additions", 0) + object.get(totals, "deletions", 0),
	"bytes": object.get(totals, "bytes", 0),
}

limit := {"files": cfg.max_files, "changed lines": cfg.max_changed_lines, "bytes": cfg.max_bytes}

deny contains v if {
	applies
	some what, n in measured
	n > limit[what]
	v := lib.violation(id, sprintf("the change has %d %s; the limit is %d", [n, what, limit[what]]))
}

result := lib.result(id, title, applies, deny, set())
