# Images only from the allowlisted registries/repositories (parameters.repos, matched as prefixes), never a
# floating `latest` or untagged reference: a pod must say exactly what it runs.
package autocode.allowedimages

import data.lib.autocode.containers
import rego.v1

allowed(image) if {
	some prefix in input.parameters.repos
	startswith(image, prefix)
}

pinned(image) if contains(image, "@sha256:")

pinned(image) if {
	not contains(image, "@")
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	not endswith(last, ":latest")
}

violation contains {"msg": msg} if {
	some c in containers.all
	not allowed(c.image)
	msg := sprintf("container %q uses image %q, which is not from an allowed repository %v", [c.name, c.image, input.parameters.repos])
}

violation contains {"msg": msg} if {
	some c in containers.all
	allowed(c.image)
	not pinned(c.image)
	msg := sprintf("container %q uses image %q without a version tag or digest (latest is not allowed)", [c.name, c.image])
}
