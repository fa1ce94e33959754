"""Pure Vietnamese text functions. Imports nothing from the project."""
