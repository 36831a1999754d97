"""The pipeline that ties stages together, weekly lists and segments, the CLI and the schedule."""
