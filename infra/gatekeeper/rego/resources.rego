# Every container declares requests and limits for the listed resources (parameters.resources, default cpu and
# memory), so one job cannot starve the node and the autoscaler can place pods.
package autocode.requiredresources

import data.lib.autocode.containers
import rego.v1

default_resources := ["cpu", "memory"]

resources := object.get(input.parameters, "resources", default_resources)

violation contains {"msg": msg} if {
	some c in containers.all
	some kind in ["limits", "requests"]
	some r in resources
	not c.resources[kind][r]
	msg := sprintf("container %q has no %s.%s", [c.name, kind, r])
}
