"""The `levelup` command: operator commands (Django, local database) and learner commands (HTTP)."""
