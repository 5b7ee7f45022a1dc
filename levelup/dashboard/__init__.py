"""The composed dashboard: progress, the journal and the plan's verdict on one page.

It sits above `progress`, `journal` and `planning` in the import stack (see
docs/architecture.md) and is the only place that reads all three together; the lower
apps never import it.
"""
