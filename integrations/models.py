"""API tokens and webhooks for integrators."""
