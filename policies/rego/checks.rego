# required-checks: before a merge, every required check (CodeQL by default) has concluded `success` on the
# head SHA. A run on an older commit says nothing about the code being merged.
package autocode.checks

import data.autocode.lib

id := "required-checks"

title := "Required checks passed on the head commit"

required := lib.config.required_checks.names

default applies := false

applies if {
	lib.operation == "merge"
	count(required) > 0
}

checks := object.get(input, "checks", [])

passed(name) if {
	some c in checks
	c.name == name
	c.head_sha == lib.head_sha
	c.conclusion == "success"
}

conclusion(c) := c.conclusion if is_string(c.conclusion)

else := "pending"

conclusions(name) := {conclusion(c) |
	some c in checks
	c.name == name
	c.head_sha == lib.head_sha
}

state(name) := "has not run on the head commit" if count(conclusions(name)) == 0

else := concat("", ["concluded ", concat("/", sort(conclusions(name)))])

deny contains v if {
	applies
	some name in required
	not passed(name)
	v := lib.violation(id, sprintf("required check %s %s (%s)", [name, state(name), lib.head_sha]))
}

result := lib.result(id, title, applies, deny, set())
