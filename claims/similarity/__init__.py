"""Similar-claim matching: sentence embeddings (embedder), the in-process vector index
(index), the rules that keep figures and places apart (figures, places) and how a score
becomes a match (matching). Nothing here touches the database except `live`, which keeps
the process's index in step with it."""
