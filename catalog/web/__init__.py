"""The review UI: server-rendered pages for staff (Vietnamese), no external resources."""
