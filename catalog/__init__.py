"""The catalog: what is known about every document, and what is asked of it."""
