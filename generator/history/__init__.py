"""The git history of the playbook folder: the change log, releases, revisions.
`history.git` is the only module that runs git."""
