"""Word-level diffs, change significance, quote extraction and checking."""
