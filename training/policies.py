"""Who sees and acts on training records (registered with core.permissions)."""
