"""Source stage: reading French articles into typed blocks and splitting them into positioned sentences."""
