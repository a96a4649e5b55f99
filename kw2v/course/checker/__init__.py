"""The exercise checkers, one module per notebook."""
