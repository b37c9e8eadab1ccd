# no-todo-markers: automation-authored changes add no TODO/FIXME/XXX markers (configurable). Only added
# lines are inspected: a change that deletes a TODO is welcome. Markers arrive in input.change.markers.
package autocode.markers

import data.autocode.lib

id := "no-todo-markers"

title := "No TODO markers added by automation"

default applies := false

applies if {
	lib.automation
	count(lib.config.todo_markers.markers) > 0
}

deny contains v if {
	applies
	some m in object.get(lib.change, "markers", [])
	m.marker in {x | some x in lib.config.todo_markers.markers}
	v := lib.located(id, sprintf("automation added a %s marker", [m.marker]), m.path, m.line)
}

result := lib.result(id, title, applies, deny, set())
