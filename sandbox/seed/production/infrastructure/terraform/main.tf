terraform {
  required_version = ">= 1.6"
}

variable "environment" {
  type    = string
  default = "production"
}

resource "null_resource" "service" {
  triggers = {
    environment = var.environment
  }
}
