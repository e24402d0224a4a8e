"""The command line and the run modes: the top layer, which nothing else imports."""
