"""The one exception type for problems a user can fix."""


class Kw2vError(ValueError):
    """A problem with the user's input or options; the message says how to fix it.

    The command line prints it as one line on stderr and exits with status 2.
    """
