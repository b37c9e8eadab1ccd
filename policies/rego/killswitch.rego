# kill-switch: while the kill switch is active every automation write is denied. The caller reads the
# switch (failing closed: unknown state arrives as active) and passes it in input.kill_switch.
package autocode.killswitch

import data.autocode.lib

id := "kill-switch"

title := "Kill switch inactive"

default applies := false

# Cost operations are executed by automation even when a human proposed them.
applies if {
	lib.config.kill_switch.enabled
	lib.automation
}

applies if {
	lib.config.kill_switch.enabled
	lib.operation == "cost"
}

switch := object.get(input, "kill_switch", {})

deny contains lib.violation(id, msg) if {
	applies
	switch.active == true
	msg := concat("", ["the kill switch is active", reason, "; automation writes are denied"])
}

reason := concat("", [" (", switch.reason, ")"]) if is_string(switch.reason)

else := ""

result := lib.result(id, title, applies, deny, set())
