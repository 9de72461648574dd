//! Event store invariants, tested against the real database.
