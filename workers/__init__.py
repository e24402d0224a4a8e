"""The Dramatiq side: broker set-up, actors, and the pipeline stages as plain functions."""
