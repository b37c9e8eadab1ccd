# no-llm-binaries: an LLM-authored change adds or modifies no binary files. A model cannot be reviewed
# through a binary blob, and generated binaries are a classic smuggling channel.
package autocode.binaries

import data.autocode.lib

id := "no-llm-binaries"

title := "No binary files from an LLM"

default applies := false

applies if {
	lib.config.binaries.enabled
	lib.origin == "llm"
}

deny contains lib.at_path(id, sprintf("LLM-authored change writes binary file %s", [f.path]), f.path) if {
	applies
	some f in lib.files
	f.binary == true
	f.status != "removed"
}

result := lib.result(id, title, applies, deny, set())
