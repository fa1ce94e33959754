"""Reports from the catalog: Phụ lục II of plan 5925/KH-UBND and digitization tallies."""
