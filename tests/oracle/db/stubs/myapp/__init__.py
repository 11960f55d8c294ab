"""Stand-ins for the application modules that some fixtures' migrations
import (myapp does not exist). Each value is one the fixture's README says
is possible; the oracle names the stand-ins it used on the fixture's line."""
