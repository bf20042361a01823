"""The add-on's test suite (a package, so helpers are imported as `tests.support.<module>`)."""
