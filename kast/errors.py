"""The one base class of errors meant for the user: the library raises them, the CLI prints them and the
web layer answers with their status. Other exceptions are bugs and end as a plain 500 page."""


class UserError(Exception):
    """`str(error)` is a Dutch message fit for the user; `field` names the field it is about, if any.

    >>> error = UserError("titel ontbreekt", field="titel")
    >>> error.status, error.field, str(error)
    (400, 'titel', 'titel ontbreekt')
    """

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field
