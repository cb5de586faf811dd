"""Upgrade steps, one module per profile version."""
