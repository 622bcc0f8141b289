"""Today's chain: an application climbs county → city → province → national. Registers the application
subject adapter and the chain's operations with the workflow runtime."""

from app.recognition import adapter, operations, policies  # noqa: F401 - registration on import
