"""Local stand-ins of external systems that the tests start themselves (STYLE.md: "the fakes of
external systems in tests/fakes/"). Where the real program is a Debian package, the "fake" is
that real program with test data of our own (``clamd``)."""
