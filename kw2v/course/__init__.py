"""Course material that is not part of the word2vec library: the exercise checkers."""
