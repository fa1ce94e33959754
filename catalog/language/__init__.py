"""The words: what text may hold when it comes in (catalog.language.text), and the Vietnamese staff read
instead of the codes the catalog stores (catalog.language.labels)."""
