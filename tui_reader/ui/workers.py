"""What happens when a background worker fails, wherever it runs: a notice
naming the work and the error, and the reader keeps running.  Every
``@work`` is started with ``exit_on_error=False`` (Textual's default would
exit the app; tests/unit/test_import_hygiene.py checks), and every node
that runs workers hands their ``Worker.StateChanged`` here (the message
does not bubble)."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState


def report_failure(node: DOMNode, event: Worker.StateChanged) -> bool:
    """A notice when ``event`` is a worker's failure; True then."""
    if event.state != WorkerState.ERROR:
        return False
    worker = event.worker
    error = worker.error
    what = worker.description or worker.name or "a background task"
    node.app.notify(f"{what} failed: {type(error).__name__}: {error}", severity="error", markup=False, timeout=8)
    return True
