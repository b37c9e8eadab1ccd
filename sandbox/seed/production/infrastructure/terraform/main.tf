# Synced from acme/foundation (previous release); the next sync brings the environment variable.
terraform {
  required_version = ">= 1.5"
}

resource "null_resource" "service" {}
