"""The processes that do a run's work: the local pool and Dask (executors), how long they live (lifetime),
and the cores they share page by page (cores)."""
