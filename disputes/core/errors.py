"""Domain errors. Views and the admin turn them into messages; they never become a 500."""


class DisputeError(Exception):
    """Base class for a rule of the dispute record that an action would break.

    ``field`` names the form field the rule is about, when there is one, so a form can show the message there.
    """

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class IllegalTransition(DisputeError):
    """An action that the record's current state does not allow (e.g. a response to a withdrawn letter)."""
