"""Decision cards and the delegation poster: model -> card data -> PDF (Typst)."""
