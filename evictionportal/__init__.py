"""Build the public eviction-prevention portal, its référentiel and its print material from YAML."""
