"""One module per external tool, each call with an explicit limit."""
