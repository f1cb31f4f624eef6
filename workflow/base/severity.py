"""The severities every report shares: errors block publishing, warnings are counted, info is shown."""

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
