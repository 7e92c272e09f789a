"""Who sees and acts on mentoring records (registered with core.permissions)."""
