# Shared helpers for the runner-namespace ConstraintTemplates: every kind of container in the reviewed Pod.
# Gatekeeper passes the object under review as input.review.object.
package lib.autocode.containers

import rego.v1

pod := input.review.object

all contains c if some c in pod.spec.containers

all contains c if some c in pod.spec.initContainers

all contains c if some c in pod.spec.ephemeralContainers
