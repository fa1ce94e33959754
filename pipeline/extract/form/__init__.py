"""The form of a legal or administrative document (Nghị định 30/2020/NĐ-CP): its fields read from the
text, where they are printed, and the names in them checked against reference lists."""
