"""The 待办 inbox: what is waiting for each user, computed from the records (see registry)."""
