"""On-commit callbacks other than the record generation's bump (which every write to the record schedules)."""

from disputes.models.generation import is_generation_bump


def queued(callbacks) -> list:
    """The callbacks a test captured, without the generation's bumps: the tasks and mails the code queued."""
    return [callback for callback in callbacks if not is_generation_bump(callback)]
