"""Model -> the generated MkDocs project and the site built from it."""
