# No privileged pods in the runner namespace: no privileged containers, no privilege escalation, no host
# namespaces, no added capabilities (NET_BIND_SERVICE excepted, as in the restricted Pod Security profile).
package autocode.noprivileged

import data.lib.autocode.containers
import rego.v1

violation contains {"msg": msg} if {
	some c in containers.all
	c.securityContext.privileged == true
	msg := sprintf("container %q is privileged; runner pods must not be", [c.name])
}

violation contains {"msg": msg} if {
	some c in containers.all
	c.securityContext.allowPrivilegeEscalation == true
	msg := sprintf("container %q allows privilege escalation; set allowPrivilegeEscalation: false", [c.name])
}

violation contains {"msg": msg} if {
	some field in ["hostPID", "hostIPC", "hostNetwork"]
	containers.pod.spec[field] == true
	msg := sprintf("pod uses %s; runner pods must not share host namespaces", [field])
}

violation contains {"msg": msg} if {
	some c in containers.all
	some cap in c.securityContext.capabilities.add
	cap != "NET_BIND_SERVICE"
	msg := sprintf("container %q adds capability %s", [c.name, cap])
}
