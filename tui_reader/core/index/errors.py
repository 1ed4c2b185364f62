"""The error a query the reader typed can raise (its message is for the
reader): apart, so the query parser and the facet filters both raise it
without importing each other."""


class QueryError(ValueError):
    """A query the parser cannot read; the message is for the user."""
