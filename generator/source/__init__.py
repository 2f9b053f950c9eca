"""From a folder to a model: load, parse, schema, checks of meaning, assemble.
`source.check.check` is the one way in."""
