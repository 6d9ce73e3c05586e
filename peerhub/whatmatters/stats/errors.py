"""The one error the survey engine raises for bad input: callers show its message as it is."""


class SurveyInputError(ValueError):
    """A data file, design file or estimate request that cannot be used, with a message saying why."""
