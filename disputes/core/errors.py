"""Domain errors. Views and the admin turn them into messages; they never become a 500."""


class DisputeError(Exception):
    """Base class for a rule of the dispute record that an action would break."""


class IllegalTransition(DisputeError):
    """An action that the record's current state does not allow (e.g. a response to a withdrawn letter)."""
