"""The only code that knows Whoosh: schema, the single batching writer, the searcher."""
