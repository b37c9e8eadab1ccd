package autocode.gatekeeper_test

import data.autocode.allowedimages
import data.autocode.noprivileged
import data.autocode.requiredresources
import rego.v1

runner := {
	"name": "runner",
	"image": "ghcr.io/infinityxonesystems/autocode-actions-runner:2.336.0-1",
	"securityContext": {"allowPrivilegeEscalation": false, "privileged": false, "capabilities": {"drop": ["ALL"]}},
	"resources": {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "4Gi"}},
}

review(spec) := {"review": {"object": {"kind": "Pod", "spec": spec}}, "parameters": {"repos": ["ghcr.io/infinityxonesystems/", "ghcr.io/actions/"]}}

with_container(c) := review({"containers": [c]})

test_hardened_runner_pod_passes if {
	inp := with_container(runner)
	count(noprivileged.violation) == 0 with input as inp
	count(allowedimages.violation) == 0 with input as inp
	count(requiredresources.violation) == 0 with input as inp
}

test_privileged_container_denied if {
	c := object.union(runner, {"securityContext": {"privileged": true}})
	some v in noprivileged.violation with input as with_container(c)
	contains(v.msg, "is privileged")
}

test_privilege_escalation_denied if {
	c := object.union(runner, {"securityContext": {"allowPrivilegeEscalation": true}})
	count(noprivileged.violation) == 1 with input as with_container(c)
}

test_privileged_init_container_denied if {
	init := object.union(runner, {"name": "init", "securityContext": {"privileged": true}})
	count(noprivileged.violation) == 1 with input as review({"containers": [runner], "initContainers": [init]})
}

test_dind_sidecar_denied if {
	dind := {"name": "dind", "image": "docker:dind", "securityContext": {"privileged": true}}
	inp := review({"containers": [runner, dind]})
	count(noprivileged.violation) == 1 with input as inp
	count(allowedimages.violation) == 1 with input as inp
	count(requiredresources.violation) == 4 with input as inp
}

test_host_namespaces_denied if {
	count(noprivileged.violation) == 2 with input as review({"containers": [runner], "hostPID": true, "hostNetwork": true})
}

test_added_capability_denied_except_net_bind if {
	sys := object.union(runner, {"securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}})
	count(noprivileged.violation) == 1 with input as with_container(sys)
	bind := object.union(runner, {"securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"]}}})
	count(noprivileged.violation) == 0 with input as with_container(bind)
}

test_image_from_other_registry_denied if {
	c := object.union(runner, {"image": "docker.io/library/ubuntu:24.04"})
	some v in allowedimages.violation with input as with_container(c)
	contains(v.msg, "not from an allowed repository")
}

test_lookalike_registry_prefix_denied if {
	c := object.union(runner, {"image": "ghcr.io/infinityxonesystems-evil/runner:1"})
	count(allowedimages.violation) == 1 with input as with_container(c)
}

test_latest_and_untagged_images_denied if {
	latest := object.union(runner, {"image": "ghcr.io/actions/actions-runner:latest"})
	count(allowedimages.violation) == 1 with input as with_container(latest)
	untagged := object.union(runner, {"image": "ghcr.io/actions/actions-runner"})
	count(allowedimages.violation) == 1 with input as with_container(untagged)
}

test_digest_pinned_image_allowed if {
	c := object.union(runner, {"image": "ghcr.io/actions/actions-runner@sha256:0cfdcc701ce933c6d243c6b0b2da767366dc9f2e99961d4c3754b0b78084cdda"})
	count(allowedimages.violation) == 0 with input as with_container(c)
}

test_missing_limits_denied if {
	c := object.union(object.remove(runner, ["resources"]), {"resources": {"requests": {"cpu": "1", "memory": "1Gi"}}})
	count(requiredresources.violation) == 2 with input as with_container(c)
}

test_missing_memory_request_denied if {
	c := object.union(object.remove(runner, ["resources"]), {"resources": {"requests": {"cpu": "1"}, "limits": {"cpu": "2", "memory": "4Gi"}}})
	some v in requiredresources.violation with input as with_container(c)
	v.msg == "container \"runner\" has no requests.memory"
}

test_required_resources_parameter if {
	inp := object.union(with_container(runner), {"parameters": {"resources": ["cpu", "memory", "ephemeral-storage"]}})
	count(requiredresources.violation) == 2 with input as inp
}
