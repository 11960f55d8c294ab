"""Stand-in for oslo.db (python3-oslo.db), which the oracle does not install:
only what the fixtures import (SC208 ok-widen-with-dialect-option)."""
