"""The work people wait for: jobs with their progress (uploads, scan-folder intakes, runs, bundles) and the
run lock that keeps one processing run at a time per catalog; and the lock that keeps a process's threads to
one PDFium call at a time."""
