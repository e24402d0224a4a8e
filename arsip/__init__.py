"""arsip: the back office's filing clerk."""

__version__ = "0.1.0"
